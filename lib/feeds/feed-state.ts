import type { Feed, FeedError } from './feed.ts';

/** How often a healthy feed is polled, and how far failures push the next poll back. */
export interface PollPolicy {
  intervalMinutes: number;
  /** Backoff never waits longer than this. */
  maxBackoffMinutes: number;
  /** A feed failing permanently for this long is disabled. */
  disableAfterDays: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  intervalMinutes: 5,
  maxBackoffMinutes: 24 * 60,
  disableAfterDays: 7,
};

/** The policy for the configured interval (CIPHERWATCH_POLL_INTERVAL_MINUTES); backoff and disabling as usual. */
export function pollPolicyFor(intervalMinutes: number): PollPolicy {
  return { ...DEFAULT_POLL_POLICY, intervalMinutes };
}

/** What polling learnt, reduced to the fields of the feed it changes. */
export type FeedStateChange = Pick<
  Feed,
  | 'nextPollAt'
  | 'consecutiveFailures'
  | 'lastPolledAt'
  | 'enabled'
  | 'etag'
  | 'lastModified'
  | 'lastSuccessAt'
  | 'lastError'
  | 'failingSince'
  | 'disabledReason'
>;

/** After a 200 or a 304: validators kept (or replaced when the server sent new ones), failures cleared. */
export function afterSuccess(
  feed: Feed,
  result: { etag?: string | undefined; lastModified?: string | undefined },
  now: Date,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): FeedStateChange {
  return {
    nextPollAt: new Date(now.getTime() + policy.intervalMinutes * 60_000).toISOString(),
    consecutiveFailures: 0,
    lastPolledAt: now.toISOString(),
    enabled: true,
    etag: result.etag ?? feed.etag,
    lastModified: result.lastModified ?? feed.lastModified,
    lastSuccessAt: now.toISOString(),
    lastError: undefined,
    failingSince: undefined,
    disabledReason: undefined,
  };
}

/**
 * After a failed poll: the stored validators and success time stay as they were, the next poll backs off
 * exponentially with jitter (capped), and a feed that is gone (410) or has failed permanently for a
 * week is disabled with the reason.
 */
export function afterFailure(
  feed: Feed,
  failure: { error: FeedError; permanent: boolean; gone: boolean; retryAfterSeconds?: number | undefined },
  now: Date,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
  random: () => number = Math.random,
): FeedStateChange {
  const failures = feed.consecutiveFailures + 1;
  const failingSince = feed.failingSince ?? now.toISOString();
  const failingForMs = now.getTime() - Date.parse(failingSince);
  const capMs = policy.maxBackoffMinutes * 60_000;
  const exponentialMs = Math.min(capMs, policy.intervalMinutes * 60_000 * 2 ** failures);
  // Jitter within ±20% spreads retries of feeds that failed together (one host down takes many feeds).
  let delayMs = Math.min(capMs, exponentialMs * (0.8 + 0.4 * random()));
  if (failure.retryAfterSeconds !== undefined)
    delayMs = Math.min(capMs, Math.max(delayMs, failure.retryAfterSeconds * 1000));

  let disabledReason: string | undefined;
  if (failure.gone) {
    // The error already names the 410; saying it twice helps nobody.
    disabledReason = `Gone for good: ${failure.error.message}`;
  } else if (failure.permanent && failingForMs >= policy.disableAfterDays * 24 * 3_600_000) {
    disabledReason = `Failing permanently for ${policy.disableAfterDays} days: ${failure.error.message}`;
  }

  return {
    nextPollAt: new Date(now.getTime() + delayMs).toISOString(),
    consecutiveFailures: failures,
    lastPolledAt: now.toISOString(),
    enabled: disabledReason === undefined,
    etag: feed.etag,
    lastModified: feed.lastModified,
    lastSuccessAt: feed.lastSuccessAt,
    lastError: failure.error,
    failingSince,
    disabledReason,
  };
}
