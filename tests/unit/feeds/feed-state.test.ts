import { describe, expect, it } from 'vitest';
import type { Feed } from '#lib/feeds/feed.ts';
import { afterFailure, afterSuccess, DEFAULT_POLL_POLICY } from '#lib/feeds/feed-state.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const MINUTE = 60_000;

function feed(overrides: Partial<Feed> = {}): Feed {
  return {
    id: 'f1',
    url: 'https://news.example/feed.xml',
    name: 'News',
    enabled: true,
    etag: '"v1"',
    lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
    nextPollAt: NOW.toISOString(),
    consecutiveFailures: 0,
    lastSuccessAt: '2026-11-26T09:55:00.000Z',
    createdAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

const transient = {
  error: { name: 'FeedFetchError', message: 'The server answered 503', at: NOW.toISOString() },
  permanent: false,
  gone: false,
};
const permanent = {
  error: { name: 'PrivateAddressError', message: 'Refusing 10.0.0.1', at: NOW.toISOString() },
  permanent: true,
  gone: false,
};
const middleOfJitter = () => 0.5;

describe('feed state after a poll', () => {
  it('schedules a healthy feed one interval later and keeps validators the server did not resend', () => {
    const change = afterSuccess(
      feed({ consecutiveFailures: 3, lastError: transient.error }),
      { etag: '"v2"' },
      NOW,
    );

    expect(change).toMatchObject({
      nextPollAt: new Date(NOW.getTime() + 5 * MINUTE).toISOString(),
      consecutiveFailures: 0,
      etag: '"v2"',
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
      lastSuccessAt: NOW.toISOString(),
      lastError: undefined,
    });
  });

  it.each([
    [0, 10],
    [1, 20],
    [2, 40],
    [5, 320],
  ])(
    'backs off exponentially: after %i earlier failures the next poll is %i minutes away',
    (earlier, minutes) => {
      const change = afterFailure(
        feed({ consecutiveFailures: earlier }),
        transient,
        NOW,
        DEFAULT_POLL_POLICY,
        middleOfJitter,
      );

      expect(Date.parse(change.nextPollAt) - NOW.getTime()).toBe(minutes * MINUTE);
    },
  );

  it('never waits longer than 24 hours, whatever the jitter', () => {
    const change = afterFailure(
      feed({ consecutiveFailures: 30 }),
      transient,
      NOW,
      DEFAULT_POLL_POLICY,
      () => 0.999,
    );

    expect(Date.parse(change.nextPollAt) - NOW.getTime()).toBe(24 * 60 * MINUTE);
  });

  it('keeps the stored validators and last success when a fetch fails', () => {
    const change = afterFailure(feed(), transient, NOW, DEFAULT_POLL_POLICY, middleOfJitter);

    expect(change).toMatchObject({
      etag: '"v1"',
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
      lastSuccessAt: '2026-11-26T09:55:00.000Z',
      consecutiveFailures: 1,
      failingSince: NOW.toISOString(),
      lastError: transient.error,
      enabled: true,
    });
  });

  it('waits at least as long as the server asked in Retry-After', () => {
    const change = afterFailure(
      feed(),
      { ...transient, retryAfterSeconds: 3600 },
      NOW,
      DEFAULT_POLL_POLICY,
      middleOfJitter,
    );

    expect(Date.parse(change.nextPollAt) - NOW.getTime()).toBe(60 * MINUTE);
  });

  it('disables a feed the server says is gone (410), with the reason', () => {
    const gone = {
      ...transient,
      permanent: true,
      gone: true,
      error: { ...transient.error, name: 'FeedGoneError', message: 'The server answered 410 Gone' },
    };

    const change = afterFailure(feed(), gone, NOW, DEFAULT_POLL_POLICY, middleOfJitter);

    expect(change.enabled).toBe(false);
    expect(change.disabledReason).toMatch(/410 Gone/);
  });

  it('disables a feed failing permanently for a week, but not a transiently failing one', () => {
    const failingSince = new Date(NOW.getTime() - 7 * 24 * 60 * MINUTE).toISOString();

    const stuck = afterFailure(
      feed({ consecutiveFailures: 40, failingSince }),
      permanent,
      NOW,
      DEFAULT_POLL_POLICY,
      middleOfJitter,
    );
    const flaky = afterFailure(
      feed({ consecutiveFailures: 40, failingSince }),
      transient,
      NOW,
      DEFAULT_POLL_POLICY,
      middleOfJitter,
    );

    expect(stuck.enabled).toBe(false);
    expect(stuck.disabledReason).toMatch(/7 days/);
    expect(flaky.enabled).toBe(true);
  });

  it('keeps a permanently failing feed enabled for its first six days', () => {
    const failingSince = new Date(NOW.getTime() - 6 * 24 * 60 * MINUTE).toISOString();

    const change = afterFailure(
      feed({ consecutiveFailures: 20, failingSince }),
      permanent,
      NOW,
      DEFAULT_POLL_POLICY,
      middleOfJitter,
    );

    expect(change.enabled).toBe(true);
    expect(change.failingSince).toBe(failingSince);
  });
});
