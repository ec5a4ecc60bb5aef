import { describe, expect, it } from 'vitest';
import type { ClassifiableText, Classification } from '#lib/classify/types.ts';
import { FeedParseError } from '#lib/reader/errors.ts';
import { processFeed } from '#lib/stories/process.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

const fetchedAt = new Date('2024-05-10T12:00:00Z');
const feed = { id: 'feed-1', url: 'https://news.example.com/feed.xml', name: 'Example News' };

/** A stand-in classifier: "scanning" in the title is relevant, with the title as evidence. */
function keywordClassifier(seen: ClassifiableText[] = []) {
  return (text: ClassifiableText): Classification => {
    seen.push(text);
    const relevant = text.title.includes('scanning');
    return {
      relevant,
      topics: relevant
        ? [{ id: 'encryption', score: 0.9, evidence: [{ phrase: 'scanning', sentence: text.title }] }]
        : [],
    };
  };
}

describe('processFeed', () => {
  it('parses, normalizes, drops duplicates within the feed and classifies each item once', async () => {
    const seen: ClassifiableText[] = [];

    const result = await processFeed(fixtureText('rss2.xml'), feed, keywordClassifier(seen), fetchedAt);

    expect(result.feed).toEqual({
      title: 'Example News & Policy',
      link: 'https://news.example.com/',
      language: 'en-us',
    });
    expect(result.items.map((item) => item.title)).toEqual([
      'EU lawmakers back client-side scanning rules',
      'Police expand facial recognition at train stations',
      'Item whose only link is its permalink GUID',
      'Item with a date far in the future',
    ]);
    expect(seen).toHaveLength(4);
  });

  it('attaches the classification and passes title, summary and language to the classifier', async () => {
    const seen: ClassifiableText[] = [];

    const result = await processFeed(fixtureText('rss2.xml'), feed, keywordClassifier(seen), fetchedAt);

    const [first] = result.items;
    expect(first?.classification).toEqual({
      relevant: true,
      topics: [
        { id: 'encryption', score: 0.9, evidence: [{ phrase: 'scanning', sentence: first?.title ?? '' }] },
      ],
    });
    expect(seen[0]).toEqual({
      title: 'EU lawmakers back client-side scanning rules',
      summary:
        'The European Parliament voted on Tuesday to back rules that would require messaging services to scan messages.',
      language: 'en',
    });
  });

  it('resolves relative links against the feed URL and strips tracking parameters', async () => {
    const result = await processFeed(fixtureText('rss2.xml'), feed, keywordClassifier(), fetchedAt);

    expect(result.items.map((item) => item.canonicalUrl)).toEqual([
      'https://news.example.com/2024/05/eu-scanning?id=7',
      'https://news.example.com/2024/05/facial-recognition',
      'https://news.example.com/2024/05/permalink-only',
      'https://news.example.com/2024/05/future',
    ]);
  });

  it('replaces a publication date far in the future with the fetch time', async () => {
    const result = await processFeed(fixtureText('rss2.xml'), feed, keywordClassifier(), fetchedAt);

    expect(result.items[3]?.publishedAt).toBe(fetchedAt.toISOString());
  });

  it('lets a configured feed language win over the declared one', async () => {
    const result = await processFeed(
      fixtureText('rss2.xml'),
      { ...feed, language: 'de' },
      keywordClassifier(),
      fetchedAt,
    );

    expect(new Set(result.items.map((item) => item.language))).toEqual(new Set(['de']));
  });

  it('handles RSS 1.0 and Atom with xml:base', async () => {
    const rdf = await processFeed(fixtureText('rss1.rdf'), feed, keywordClassifier(), fetchedAt);
    const atom = await processFeed(fixtureText('atom.xml'), feed, keywordClassifier(), fetchedAt);

    expect(rdf.items[0]).toMatchObject({ language: 'fr', publishedAt: '2024-04-30T06:15:00.000Z' });
    expect(atom.items.map((item) => [item.link, item.title, item.language])).toEqual([
      ['https://atom.example.de/blog/posts/blink', 'History of the <blink> tag', 'de'],
      ['https://other.example.de/archiv/2024/trojaner', 'Staatstrojaner: neues Gesetz', 'de'],
    ]);
  });

  it('fails with a FeedParseError on a body that is not a feed', async () => {
    await expect(processFeed('<html></html>', feed, keywordClassifier(), fetchedAt)).rejects.toThrow(
      FeedParseError,
    );
  });

  it('keeps only the newest items when a feed has more than the limit', async () => {
    const items = Array.from({ length: 12 }, (_, index) => {
      const day = String(index + 1).padStart(2, '0');
      return `<item><title>Story ${index + 1}</title><link>https://news.example.com/${index + 1}</link><pubDate>${day} May 2024 08:00:00 GMT</pubDate></item>`;
    });
    // Shuffled: the feed's order is not the publication order.
    const shuffled = [...items.slice(6), ...items.slice(0, 6)];
    const xml = `<rss version="2.0"><channel><title>Many</title>${shuffled.join('')}</channel></rss>`;

    const result = await processFeed(xml, feed, keywordClassifier(), fetchedAt, { maxItems: 5 });

    expect(result.items.map((item) => item.title)).toEqual([
      'Story 8',
      'Story 9',
      'Story 10',
      'Story 11',
      'Story 12',
    ]);
  });

  it('keeps 500 items by default', async () => {
    const items = Array.from(
      { length: 520 },
      (_, index) =>
        `<item><title>Story ${index}</title><link>https://news.example.com/${index}</link></item>`,
    );
    const xml = `<rss version="2.0"><channel><title>Many</title>${items.join('')}</channel></rss>`;

    const result = await processFeed(xml, feed, keywordClassifier(), fetchedAt);

    expect(result.items).toHaveLength(500);
  });
});
