import { describe, expect, it } from 'vitest';
import type { RawFeedItem } from '#lib/reader/parse.ts';
import { normalizeItem } from '#lib/stories/normalize.ts';

const fetchedAt = new Date('2024-05-10T12:00:00Z');
const feed = { url: 'https://news.example.com/feed.xml' };
const raw = (fields: Partial<RawFeedItem>): RawFeedItem => ({
  titleIsHtml: true,
  guidIsPermaLink: false,
  base: feed.url,
  ...fields,
});

describe('normalizeItem', () => {
  it('builds a clean item with a canonical URL, a stable id and plain text', () => {
    const item = normalizeItem(
      raw({
        title: 'EU backs &lt;em&gt;scanning&lt;/em&gt;',
        link: '/2024/eu?utm_source=rss#top',
        summaryHtml: '<p>The vote&nbsp;passed.</p><script>x()</script>',
        published: 'Tue, 07 May 2024 09:30:00 GMT',
      }),
      feed,
      fetchedAt,
    );

    expect(item).toMatchObject({
      canonicalUrl: 'https://news.example.com/2024/eu',
      link: 'https://news.example.com/2024/eu?utm_source=rss#top',
      title: 'EU backs <em>scanning</em>',
      summary: 'The vote passed.',
      publishedAt: '2024-05-07T09:30:00.000Z',
    });
    expect(item?.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same id to the same story linked with and without tracking parameters', () => {
    const plain = normalizeItem(raw({ title: 'a', link: 'https://news.example.com/x' }), feed, fetchedAt);
    const tracked = normalizeItem(
      raw({ title: 'b', link: 'https://NEWS.example.com/x?fbclid=1' }),
      feed,
      fetchedAt,
    );

    expect(plain?.id).toBe(tracked?.id);
  });

  it('uses a permalink GUID as the link when the item has none', () => {
    const item = normalizeItem(
      raw({ title: 't', guid: 'https://news.example.com/p', guidIsPermaLink: true }),
      feed,
      fetchedAt,
    );

    expect(item?.link).toBe('https://news.example.com/p');
  });

  it('derives the id from the GUID when there is no usable link', () => {
    const item = normalizeItem(
      raw({ title: 't', guid: 'urn:x:1', link: 'javascript:void(0)' }),
      feed,
      fetchedAt,
    );

    expect(item).toMatchObject({ canonicalUrl: '', link: '', guid: 'urn:x:1' });
  });

  it('keeps a short GUID like "1" within its feed, so two feeds numbering their items never collide', () => {
    const first = normalizeItem(raw({ title: 'First', guid: '1' }), feed, fetchedAt);
    const other = normalizeItem(
      raw({ title: 'Other', guid: '1', base: 'https://other.example/rss' }),
      { url: 'https://other.example/rss' },
      fetchedAt,
    );

    expect(first?.id).not.toBe(other?.id);
  });

  it('shares a globally unique GUID across feeds', () => {
    const guid = 'urn:uuid:3f1c0c2e-8a7d-4d5b-9b1e-2f0a6c9d4e11';
    const first = normalizeItem(raw({ title: 'A', guid }), feed, fetchedAt);
    const other = normalizeItem(raw({ title: 'A', guid }), { url: 'https://other.example/rss' }, fetchedAt);

    expect(first?.id).toBe(other?.id);
  });

  it('keeps a plain-text (Atom type="text") title literally', () => {
    const item = normalizeItem(
      raw({ title: 'History of the <blink> tag', titleIsHtml: false, link: 'x' }),
      feed,
      fetchedAt,
    );

    expect(item?.title).toBe('History of the <blink> tag');
  });

  it('falls back to the start of the summary when the title is missing', () => {
    const item = normalizeItem(raw({ link: 'x', summaryHtml: 'Only a summary here.' }), feed, fetchedAt);

    expect(item?.title).toBe('Only a summary here.');
  });

  it('cuts the summary to at most 600 characters on a word boundary', () => {
    const item = normalizeItem(
      raw({ title: 't', link: 'x', summaryHtml: 'word '.repeat(300) }),
      feed,
      fetchedAt,
    );

    expect(item?.summary.length).toBeLessThanOrEqual(600);
    expect(item?.summary.endsWith('word…')).toBe(true);
  });

  it('prefers the item language, then the feed language, then a guess', () => {
    const fromItem = normalizeItem(
      raw({ title: 't', link: 'x', language: 'fr-CA' }),
      { ...feed, language: 'de' },
      fetchedAt,
    );
    const fromFeed = normalizeItem(raw({ title: 't', link: 'x' }), { ...feed, language: 'de' }, fetchedAt);

    const guessed = normalizeItem(
      raw({
        title: 'The minister said that the plan is not dead',
        link: 'x',
        summaryHtml: 'It will be back in the autumn.',
      }),
      feed,
      fetchedAt,
    );

    expect(fromItem?.language).toBe('fr');
    expect(fromFeed?.language).toBe('de');
    expect(guessed?.language).toBe('en');
  });

  it('returns undefined for an item with no link, no GUID and no title', () => {
    expect(normalizeItem(raw({ summaryHtml: 'orphan text' }), feed, fetchedAt)).toBeUndefined();
  });
});
