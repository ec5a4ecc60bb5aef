import { describe, expect, it } from 'vitest';
import {
  feedIdFor,
  InvalidFeedUrlError,
  InvalidLanguageError,
  newFeed,
  normalizeFeedUrl,
  normalizeLanguageTag,
} from '#lib/feeds/feed.ts';

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

describe('feeds added by an operator', () => {
  it('gives the same id to a feed URL whatever its scheme case or tracking parameters', () => {
    expect(feedIdFor('HTTPS://WWW.EFF.ORG/rss/updates.xml?utm_source=x&fbclid=1')).toBe(
      feedIdFor('https://www.eff.org/rss/updates.xml'),
    );
    expect(normalizeFeedUrl('https://news.example/feed?lang=de&utm_medium=rss')).toBe(
      'https://news.example/feed?lang=de',
    );
  });

  it('keeps a BCP 47 language tag in canonical form and refuses what is not one', () => {
    expect(normalizeLanguageTag('pt-br')).toBe('pt-BR');
    expect(normalizeLanguageTag('de')).toBe('de');
    expect(() => normalizeLanguageTag('klingon')).toThrow(InvalidLanguageError);
    expect(() => normalizeLanguageTag('en_GB!')).toThrow(/BCP 47/);
  });
});
