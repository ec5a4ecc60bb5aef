import { describe, expect, it } from 'vitest';
import { FeedParseError } from '#lib/reader/errors.ts';
import { ParseBudget, ParseBudgetExceededError } from '#lib/reader/parse-budget.ts';
import { processFeed } from '#lib/stories/process.ts';
import { documentPoller } from '../../helpers/poll-document.ts';

const pollDocument = documentPoller(new Date('2024-05-10T12:00:00Z'));
const PUBLISHED = '2024-05-07T07:30:00.000Z';

const rss2 = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title><link>https://news.example.com/</link>${items}</channel></rss>`;
const rssItem = (title: string, extra = '') =>
  `<item><title>${title}</title><link>https://news.example.com/${encodeURIComponent(title.slice(0, 20))}</link>` +
  `<pubDate>Tue, 07 May 2024 07:30:00 GMT</pubDate>${extra}</item>`;
const rss1 = (title: string) =>
  `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" ` +
  `xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://news.example.com/"><title>Example</title></channel>` +
  `<item rdf:about="https://news.example.com/a"><title>${title}</title><link>https://news.example.com/a</link>` +
  '<dc:date>2024-05-07T07:30:00Z</dc:date></item></rdf:RDF>';
const atom = (title: string, summary = '') =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><id>urn:x</id>` +
  `<entry><id>urn:x:a</id><link href="https://news.example.com/a"/><title type="html">${title}</title>` +
  `<summary>${summary}</summary><published>2024-05-07T07:30:00Z</published></entry></feed>`;

describe('a title nested 20,000 elements deep', () => {
  const deep = `${'<b>'.repeat(20_000)}Deep title${'</b>'.repeat(20_000)}`;

  it.each([
    ['RSS 2.0', rss2(rssItem(deep))],
    ['RSS 1.0', rss1(deep)],
  ])('%s: is read as its text, without recursion', async (_format, document) => {
    const report = await pollDocument(document);

    expect(report.items.map((item) => [item.title, item.published])).toEqual([['Deep title', PUBLISHED]]);
  });

  it('elsewhere in an item: ends in a typed FeedParseError naming the depth limit', async () => {
    const document = rss2(rssItem('Fine', `${'<x>'.repeat(20_000)}y${'</x>'.repeat(20_000)}`));

    const failure = await pollDocument(document).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FeedParseError);
    expect((failure as Error).message).toMatch(/nests elements more than 512 levels deep/);
  });
});

describe('bidirectional-text controls', () => {
  const controls = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';

  it.each([
    ['RSS 2.0', rss2(rssItem(`Invoice \u202efdp.exe${controls} ready`))],
    ['RSS 1.0', rss1(`Invoice \u202efdp.exe${controls} ready`)],
    ['Atom', atom(`Invoice &#x202E;fdp.exe${controls} ready`)],
  ])('%s: are stripped from titles', async (_format, document) => {
    const report = await pollDocument(document);

    expect(report.items.map((item) => [item.title, item.published])).toEqual([
      ['Invoice fdp.exe ready', PUBLISHED],
    ]);
  });

  it('are stripped from summaries', async () => {
    const processed = await processFeed(
      atom('Title', `Sum\u202emary &#x2066;text&#x2069;`),
      { id: 'f', url: 'https://news.example.com/feed', name: 'Example' },
      () => ({ relevant: false, topics: [] }),
      new Date('2024-05-10T12:00:00Z'),
    );

    expect(processed.items[0]?.summary).toBe('Summary text');
  });
});

describe('the processor-time budget for reading a feed', () => {
  const feed = { id: 'f', url: 'https://news.example.com/feed', name: 'Example' };
  const tenItems = rss2(Array.from({ length: 10 }, (_, index) => rssItem(`Story number ${index}`)).join(''));
  /** A clock that advances one "millisecond" per reading: the budget then counts clock readings (one per stage), deterministically. */
  const countingClock = () => {
    let readings = 0;
    return () => readings++;
  };

  it('ends the read with a typed ParseBudgetExceededError saying where it stopped', async () => {
    const failure = await processFeed(tenItems, feed, () => ({ relevant: false, topics: [] }), new Date(), {
      budget: new ParseBudget(feed.url, 2, countingClock),
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ParseBudgetExceededError);
    expect(failure).toBeInstanceOf(FeedParseError);
    expect(failure).toMatchObject({ url: feed.url, budgetMs: 2, stage: 'reading items', permanent: false });
  });

  it('lets a read that stays within the budget finish', async () => {
    const processed = await processFeed(tenItems, feed, () => ({ relevant: false, topics: [] }), new Date(), {
      budget: new ParseBudget(feed.url, 100, countingClock),
    });

    expect(processed.items).toHaveLength(10);
  });
});
