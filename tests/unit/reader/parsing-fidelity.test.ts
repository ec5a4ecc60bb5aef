import { describe, expect, it } from 'vitest';
import { documentPoller } from '../../helpers/poll-document.ts';

// Each document is served from a loopback server and read as `cipherwatch poll URL` reads it.
const pollDocument = documentPoller(new Date('2024-05-10T12:00:00Z'));

/** Polls the document; returns the first item's title and publication time. */
async function pollFirstItem(body: string) {
  const item = (await pollDocument(body)).items[0];
  return { title: item?.title, published: item?.published };
}

const rss2 = (item: string) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" ` +
  `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">` +
  `<channel><title>Example</title><link>https://news.example.com/</link>` +
  `<item><link>https://news.example.com/a</link>${item}</item></channel></rss>`;
const rss1 = (item: string) =>
  `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" ` +
  `xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
  `xmlns:dcterms="http://purl.org/dc/terms/">` +
  `<channel rdf:about="https://news.example.com/"><title>Example</title><link>https://news.example.com/</link></channel>` +
  `<item rdf:about="https://news.example.com/a"><link>https://news.example.com/a</link>${item}</item></rdf:RDF>`;
const atom10 = (entry: string) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title>` +
  `<id>urn:example:feed</id><entry><id>urn:example:a</id><link href="https://news.example.com/a"/>${entry}</entry></feed>`;
const atom03 = (entry: string) =>
  `<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Example</title>` +
  `<entry><id>urn:example:a</id><link rel="alternate" type="text/html" href="https://news.example.com/a"/>${entry}</entry></feed>`;

const MAY_7 = '2024-05-07T07:30:00.000Z';
const RFC822_MAY_7 = 'Tue, 07 May 2024 07:30:00 GMT';
const ISO_MAY_7 = '2024-05-07T07:30:00Z';

describe('titles with inline markup keep every word, in document order', () => {
  it.each([
    ['RSS 2.0', rss2(`<title>Breaking: <b>Big</b> news today</title><pubDate>${RFC822_MAY_7}</pubDate>`)],
    ['RSS 1.0', rss1(`<title>Breaking: <b>Big</b> news today</title><dc:date>${ISO_MAY_7}</dc:date>`)],
    [
      'Atom (type="xhtml")',
      atom10(
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Breaking: <b>Big</b> news today</div></title>' +
          `<published>${ISO_MAY_7}</published>`,
      ),
    ],
  ])('%s', async (_format, document) => {
    expect(await pollFirstItem(document)).toEqual({ title: 'Breaking: Big news today', published: MAY_7 });
  });

  it('keeps the text of a link inside an Atom XHTML title', async () => {
    const document = atom10(
      '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Example <a href="test.html">test</a></div></title>' +
        `<updated>${ISO_MAY_7}</updated>`,
    );

    expect(await pollFirstItem(document)).toEqual({ title: 'Example test', published: MAY_7 });
  });

  it('keeps words from deeply nested inline markup in order', async () => {
    const document = rss2(
      `<title>One <span>two <i>three <b>four</b> five</i> six</span> seven</title><pubDate>${RFC822_MAY_7}</pubDate>`,
    );

    expect(await pollFirstItem(document)).toEqual({
      title: 'One two three four five six seven',
      published: MAY_7,
    });
  });
});

describe('namespaced dates inside RSS items are read', () => {
  it.each([
    ['atom:published in RSS 2.0', rss2(`<title>T</title><atom:published>${ISO_MAY_7}</atom:published>`)],
    ['atom:updated in RSS 2.0', rss2(`<title>T</title><atom:updated>${ISO_MAY_7}</atom:updated>`)],
    ['dc:date in RSS 2.0', rss2(`<title>T</title><dc:date>${ISO_MAY_7}</dc:date>`)],
    [
      'dcterms:modified in RSS 2.0',
      rss2(`<title>T</title><dcterms:modified>${ISO_MAY_7}</dcterms:modified>`),
    ],
    [
      'atom:published in RSS 1.0',
      rss1(
        `<title>T</title><atom:published xmlns:atom="http://www.w3.org/2005/Atom">${ISO_MAY_7}</atom:published>`,
      ),
    ],
    [
      'dcterms:modified in RSS 1.0',
      rss1(`<title>T</title><dcterms:modified>${ISO_MAY_7}</dcterms:modified>`),
    ],
    ['issued in Atom 0.3', atom03(`<title>T</title><issued>${ISO_MAY_7}</issued>`)],
    ['modified in Atom 0.3', atom03(`<title>T</title><modified>${ISO_MAY_7}</modified>`)],
  ])('%s', async (_case, document) => {
    expect(await pollFirstItem(document)).toEqual({ title: 'T', published: MAY_7 });
  });

  it('prefers the publication date over the modification date, whatever their order', async () => {
    const document = rss2(
      `<title>T</title><atom:updated>2024-05-09T10:00:00Z</atom:updated><atom:published>${ISO_MAY_7}</atom:published>`,
    );

    expect(await pollFirstItem(document)).toEqual({ title: 'T', published: MAY_7 });
  });

  it('prefers pubDate over dcterms:modified', async () => {
    const document = rss2(
      `<title>T</title><dcterms:modified>2024-05-09T10:00:00Z</dcterms:modified><pubDate>${RFC822_MAY_7}</pubDate>`,
    );

    expect(await pollFirstItem(document)).toEqual({ title: 'T', published: MAY_7 });
  });
});

describe('text constructs are decoded exactly once, as their type declares', () => {
  it.each([
    [
      'xhtml: escaped markup is text to show',
      '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">&lt;p&gt;Entry Title&lt;/p&gt;</div></title>',
      '<p>Entry Title</p>',
    ],
    [
      'xhtml without the div wrapper',
      '<title type="xhtml">&lt;p&gt;Entry Title&lt;/p&gt;</title>',
      '<p>Entry Title</p>',
    ],
    [
      'html: escaped markup is markup',
      '<title type="html">&lt;b&gt;Entry&lt;/b&gt; Title</title>',
      'Entry Title',
    ],
    [
      'html: doubly escaped markup is text',
      '<title type="html">&amp;lt;p&amp;gt; Entry Title</title>',
      '<p> Entry Title',
    ],
    [
      'text: angle brackets are literal',
      '<title type="text">History of the &lt;blink&gt; tag</title>',
      'History of the <blink> tag',
    ],
    ['no type means text', '<title>1 &lt; 2 &amp;&amp; 3 &gt; 2</title>', '1 < 2 && 3 > 2'],
  ])('Atom 1.0 %s', async (_case, title, expected) => {
    expect(await pollFirstItem(atom10(`${title}<published>${ISO_MAY_7}</published>`))).toEqual({
      title: expected,
      published: MAY_7,
    });
  });
});

describe('Atom 0.3 MIME-style types read like their Atom 1.0 names', () => {
  it.each([
    [
      'text/html, escaped',
      '<title type="text/html" mode="escaped">&lt;b&gt;Big&lt;/b&gt; news</title>',
      'Big news',
    ],
    [
      'application/xhtml+xml, inline',
      '<title type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">Big <b>news</b> &lt;today&gt;</div></title>',
      'Big news <today>',
    ],
    [
      'text/plain, escaped',
      '<title type="text/plain" mode="escaped">Use &lt;b&gt; for bold</title>',
      'Use <b> for bold',
    ],
  ])('%s', async (_case, title, expected) => {
    expect(await pollFirstItem(atom03(`${title}<issued>${ISO_MAY_7}</issued>`))).toEqual({
      title: expected,
      published: MAY_7,
    });
  });
});

describe('summaries and content keep every word, decoded as their type declares', () => {
  const summaryOf = async (document: string) => (await pollDocument.process(document)).items[0]?.summary;

  it.each([
    [
      'RSS 2.0 description',
      rss2(`<title>T</title><description>Lead <i>in</i> text, <b>all</b> of it</description>`),
    ],
    [
      'RSS 1.0 description',
      rss1(`<title>T</title><description>Lead <i>in</i> text, <b>all</b> of it</description>`),
    ],
    [
      'Atom xhtml summary',
      atom10(
        '<title>T</title><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Lead <i>in</i> text, <b>all</b> of it</div></summary>',
      ),
    ],
    [
      'Atom xhtml content',
      atom10(
        '<title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Lead <i>in</i> text, <b>all</b> of it</div></content>',
      ),
    ],
  ])('%s with inline markup', async (_case, document) => {
    expect(await summaryOf(document)).toBe('Lead in text, all of it');
  });

  it.each([
    ['text', '<summary type="text">Use &lt;b&gt; for bold &amp; more</summary>', 'Use <b> for bold & more'],
    ['untyped', '<summary>1 &lt; 2</summary>', '1 < 2'],
    [
      'html',
      '<summary type="html">&lt;p&gt;Use &amp;lt;b&amp;gt; for bold&lt;/p&gt;</summary>',
      'Use <b> for bold',
    ],
    ['text/plain (Atom 0.3)', '<summary type="text/plain" mode="escaped">a &lt;b&gt; c</summary>', 'a <b> c'],
    ['image content, ignored', '<content type="image/png">iVBORw0KGgo=</content>', ''],
  ])('Atom %s', async (_case, summary, expected) => {
    expect(await summaryOf(atom10(`<title>T</title>${summary}`))).toBe(expected);
  });
});
