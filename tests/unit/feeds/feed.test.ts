import { describe, expect, it } from 'vitest';
import { feedIdFor, InvalidFeedUrlError, newFeed, normalizeFeedUrl } from '#lib/feeds/feed.ts';

describe('feed identity', () => {
  it('gives the same id to a URL however its host is cased or whatever fragment it carries', () => {
    expect(feedIdFor('https://News.Example/feed.xml#top')).toBe(feedIdFor('https://news.example/feed.xml'));
  });

  it('gives different ids to different feeds on one host', () => {
    expect(feedIdFor('https://news.example/a.xml')).not.toBe(feedIdFor('https://news.example/b.xml'));
  });

  it.each([
    ['not a url', /not a valid URL/],
    ['ftp://news.example/feed.xml', /only http and https/],
    ['https://user:secret@news.example/feed.xml', /credentials/],
  ])('refuses %s with a reason', (url, reason) => {
    expect(() => normalizeFeedUrl(url)).toThrow(InvalidFeedUrlError);
    expect(() => normalizeFeedUrl(url)).toThrow(reason);
  });

  it('names a new feed after its host when no name is given, due for its first poll now', () => {
    const now = new Date('2026-11-26T10:00:00.000Z');

    const feed = newFeed({ url: 'https://www.eff.org/rss/updates.xml' }, now);

    expect(feed).toMatchObject({
      name: 'www.eff.org',
      enabled: true,
      consecutiveFailures: 0,
      nextPollAt: now.toISOString(),
    });
  });
});
