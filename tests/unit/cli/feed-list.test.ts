import { describe, expect, it } from 'vitest';
import { formatFeedList, NARROW_WIDTH } from '#lib/cli/feed-list.ts';
import { newFeed } from '#lib/feeds/feed.ts';
import { loadFeedCatalog } from '#lib/feeds/feed-catalog.ts';

const NOW = new Date('2026-11-30T10:00:00.000Z');

describe('feeds list', () => {
  const feeds = loadFeedCatalog().map((entry) => newFeed(entry, NOW));
  const failing = {
    ...(feeds[0] as (typeof feeds)[number]),
    consecutiveFailures: 3,
    lastError: {
      name: 'FeedFetchError',
      message: `Could not fetch from www.eff.org: the host name was not found (ENOTFOUND) ${'and more '.repeat(20)}`,
      at: NOW.toISOString(),
    },
  };

  it('fits the default feeds in 100 columns and tells two feeds on one host apart by their URL', () => {
    const text = formatFeedList([failing, ...feeds.slice(1)], { wide: false, now: NOW });

    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(NARROW_WIDTH);
    const sameHost = formatFeedList(
      [
        newFeed({ url: 'https://www.eff.org/rss/updates.xml' }, NOW),
        newFeed({ url: 'https://www.eff.org/rss/deeplinks.xml' }, NOW),
      ],
      { wide: false, now: NOW },
    );
    expect(sameHost).toMatch(/www\.eff\.org +www\.eff\.org\/rss\/updates\.xml/);
    expect(sameHost).toMatch(/www\.eff\.org +www\.eff\.org\/rss\/deeplinks\.xml/);
    expect(text).toMatch(/failing.*\n {4}↳ FeedFetchError: Could not fetch from www\.eff\.org/);
  });

  it('shows every column in full with --wide', () => {
    const text = formatFeedList([failing], { wide: true, now: NOW });

    expect(text).toContain(failing.url);
    expect(text).toMatch(/failures/);
    expect(text).toContain(failing.lastError.message.trim());
  });
});
