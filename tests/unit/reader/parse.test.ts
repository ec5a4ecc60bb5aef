import { describe, expect, it } from 'vitest';
import { FeedParseError } from '#lib/reader/errors.ts';
import { parseFeed } from '#lib/reader/parse.ts';
import { fixtureText } from '../../helpers/fixtures.ts';

describe('parseFeed', () => {
  it('reads an RSS 2.0 feed: title, link, language and every item', async () => {
    const feed = await parseFeed(fixtureText('rss2.xml'), 'https://news.example.com/feed.xml');

    expect(feed.title).toBe('Example News & Policy');
    expect(feed.link).toBe('https://news.example.com/');
    expect(feed.language).toBe('en-us');
    expect(feed.items).toHaveLength(5);
    expect(feed.items[0]).toMatchObject({
      title: 'EU lawmakers back <em>client-side scanning</em> rules',
      guid: 'urn:example:1001',
      guidIsPermaLink: false,
      published: 'Tue, 07 May 2024 09:30:00 +0200',
    });
  });

  it('treats an RSS guid without isPermaLink="false" as the item URL', async () => {
    const feed = await parseFeed(fixtureText('rss2.xml'), 'https://news.example.com/feed.xml');

    expect(feed.items[3]).toMatchObject({
      guid: 'https://news.example.com/2024/05/permalink-only',
      guidIsPermaLink: true,
    });
  });

  it('keeps an Atom entry whose date is unreadable, with the raw date text', async () => {
    const xml =
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><published>garbage</published></entry></feed>';

    const feed = await parseFeed(xml, 'https://a.example/');

    expect(feed.items[0]).toMatchObject({ title: 'x', published: 'garbage' });
  });

  it('reads an RSS 1.0 (RDF) feed with dc:date and dc:language', async () => {
    const feed = await parseFeed(fixtureText('rss1.rdf'), 'https://rdf.example.org/index.rdf');

    expect(feed.title).toBe('RDF Example');
    expect(feed.language).toBe('fr');
    expect(feed.items[0]).toMatchObject({
      title: 'Le chiffrement de bout en bout menacé',
      link: 'https://rdf.example.org/a',
      published: '2024-04-30T08:15:00+02:00',
    });
  });

  it('reads an Atom feed: xml:lang, xml:base, the alternate link and typed titles', async () => {
    const feed = await parseFeed(fixtureText('atom.xml'), 'https://atom.example.de/feed.atom');

    expect(feed.language).toBe('de-DE');
    expect(feed.base).toBe('https://atom.example.de/blog/');
    const [blink, trojaner] = feed.items;
    expect(blink).toMatchObject({
      title: 'History of the <blink> tag',
      titleIsHtml: false,
      link: 'posts/blink',
      guid: 'tag:atom.example.de,2024:blink',
      published: '2024-05-01T10:00:00Z',
    });
    expect(trojaner).toMatchObject({
      titleIsHtml: true,
      base: 'https://other.example.de/archiv/',
      published: '2024-04-29T05:00:00.000Z',
    });
    expect(trojaner?.contentHtml).toContain('Überwachung von Messengern');
  });

  it('reads old RSS without a channel element instead of failing', async () => {
    const feed = await parseFeed('<rss><item><title>Lonely</title></item></rss>', 'https://a.example/');

    expect(feed.items.map((item) => item.title)).toEqual(['Lonely']);
  });

  it('accepts HTML entities and bare ampersands that strict XML would reject', async () => {
    const xml = '<rss version="2.0"><channel><title>AT&T &eacute;t&eacute; &nbsp;</title></channel></rss>';

    const feed = await parseFeed(xml, 'https://a.example/');

    expect(feed.title).toBe('AT&T été \u00a0');
  });

  it('parses normally again after a failed parse (the parser is shared)', async () => {
    await expect(
      parseFeed('<rss version="2.0"><channel><title>x</channel>', 'https://a.example/'),
    ).rejects.toThrow();

    await expect(parseFeed(fixtureText('rss1.rdf'), 'https://a.example/')).resolves.toMatchObject({
      title: 'RDF Example',
    });
  });

  it('refuses a document that declares entities (billion laughs) before parsing it', async () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><title>&c;</title></channel></rss>`;

    await expect(parseFeed(bomb, 'https://a.example/')).rejects.toThrow(FeedParseError);
  });

  it('ignores a DOCTYPE without entity declarations', async () => {
    const xml =
      '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">' +
      '<rss version="0.91"><channel><title>Old</title></channel></rss>';

    await expect(parseFeed(xml, 'https://a.example/')).resolves.toMatchObject({ title: 'Old' });
  });

  it('does not mistake "<!DOCTYPE" inside an item for a declaration', async () => {
    const xml =
      '<rss version="2.0"><channel><item><description><![CDATA[ <!DOCTYPE ]]></description></item></channel></rss>';

    const feed = await parseFeed(xml, 'https://a.example/');

    expect(feed.items[0]?.summaryHtml).toBe(' <!DOCTYPE ');
  });

  it.each([
    ['an HTML page', '<!doctype html><html><body>Not a feed</body></html>'],
    ['broken XML', '<rss version="2.0"><channel><title>x</channel>'],
    ['an empty body', ''],
    ['JSON', '{"items": []}'],
  ])('fails on %s with a FeedParseError that says what is wrong', async (_case, body) => {
    const failure = parseFeed(body, 'https://a.example/');

    await expect(failure).rejects.toThrow(FeedParseError);
    await expect(failure).rejects.toThrow(/not a readable RSS or Atom feed/);
  });
});
