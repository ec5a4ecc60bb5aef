import { describe, expect, it } from 'vitest';
import { canonicalUrl, storyIdFor } from '#lib/stories/normalize.ts';

describe('canonicalUrl', () => {
  it.each([
    [
      'drops utm_* parameters',
      'https://example.com/a?utm_source=rss&utm_medium=feed',
      undefined,
      'https://example.com/a',
    ],
    [
      'keeps other parameters in order',
      'https://example.com/a?id=7&utm_campaign=x&page=2',
      undefined,
      'https://example.com/a?id=7&page=2',
    ],
    [
      'drops fbclid and gclid',
      'https://example.com/a?fbclid=abc&gclid=def',
      undefined,
      'https://example.com/a',
    ],
    ['drops the fragment', 'https://example.com/a#comments', undefined, 'https://example.com/a'],
    [
      'lowercases the host only',
      'https://News.EXAMPLE.com/Story/ABC',
      undefined,
      'https://news.example.com/Story/ABC',
    ],
    ['removes the default port', 'https://example.com:443/a', undefined, 'https://example.com/a'],
    ['removes credentials', 'https://user:pass@example.com/a', undefined, 'https://example.com/a'],
    ['removes the trailing dot of the host', 'https://example.com./a', undefined, 'https://example.com/a'],
    [
      'resolves a root-relative link against the base',
      '/2024/story',
      'https://example.com/feed.xml',
      'https://example.com/2024/story',
    ],
    [
      'resolves a path-relative link against the base',
      'story.html',
      'https://example.com/blog/feed.xml',
      'https://example.com/blog/story.html',
    ],
    [
      'resolves a protocol-relative link',
      '//cdn.example.com/x',
      'https://example.com/feed',
      'https://cdn.example.com/x',
    ],
    ['trims whitespace around the link', '  https://example.com/a \n', undefined, 'https://example.com/a'],
    [
      'keeps the case of utm-like keys elsewhere in the path',
      'https://example.com/utm_source/a',
      undefined,
      'https://example.com/utm_source/a',
    ],
  ])('%s', (_behaviour, link, base, expected) => {
    expect(canonicalUrl(link, base)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)', 'a script URL'],
    ['mailto:someone@example.com', 'a mail address'],
    ['ftp://example.com/file', 'an FTP URL'],
    ['', 'an empty link'],
    ['not a url', 'a relative link without a base'],
  ])('rejects %s (%s)', (link) => {
    expect(canonicalUrl(link)).toBeUndefined();
  });
});

describe('storyIdFor', () => {
  it('gives the same 32-character hex id for the same canonical URL', () => {
    const first = storyIdFor('https://example.com/a');
    const second = storyIdFor('https://example.com/a');

    expect(first).toBe(second);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives different ids for different URLs', () => {
    expect(storyIdFor('https://example.com/a')).not.toBe(storyIdFor('https://example.com/b'));
  });
});
