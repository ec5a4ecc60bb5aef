import { createHash } from 'node:crypto';
import { parseHttpUrl } from '#lib/http-url.ts';

/** The reason a feed's last poll failed, written for the person reading `feeds list`. */
export interface FeedError {
  name: string;
  message: string;
  at: string;
}

/** A feed in the registry, with the state polling keeps on it. */
export interface Feed {
  id: string;
  url: string;
  name: string;
  language?: string | undefined;
  enabled: boolean;
  disabledReason?: string | undefined;
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** ISO UTC; the scheduler enqueues the feed once this has passed. */
  nextPollAt: string;
  consecutiveFailures: number;
  /** ISO UTC of the first failure in the current run of failures. */
  failingSince?: string | undefined;
  lastError?: FeedError | undefined;
  lastSuccessAt?: string | undefined;
  lastPolledAt?: string | undefined;
  createdAt: string;
}

/** The registry's id for a feed URL: a hash of the URL with its host lower-cased and fragment dropped. */
export function feedIdFor(url: string): string {
  return createHash('sha256').update(normalizeFeedUrl(url)).digest('hex').slice(0, 32);
}

/** A feed URL as the registry keys it; throws a readable error for anything but http(s). */
export function normalizeFeedUrl(url: string): string {
  if (!URL.canParse(url.trim())) throw new InvalidFeedUrlError(url, 'it is not a valid URL');
  const parsed = parseHttpUrl(url);
  if (!parsed) throw new InvalidFeedUrlError(url, 'only http and https feeds are supported');
  if (parsed.username || parsed.password) {
    throw new InvalidFeedUrlError(url, 'credentials in feed URLs would be stored in plain text');
  }
  parsed.hash = '';
  return parsed.toString();
}

export class InvalidFeedUrlError extends Error {
  override name = 'InvalidFeedUrlError';
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`${JSON.stringify(url)} cannot be used as a feed: ${reason}.`);
  }
}

/** A new, enabled feed due for its first poll now. */
export function newFeed(
  input: { url: string; name?: string | undefined; language?: string | undefined },
  now: Date,
): Feed {
  const url = normalizeFeedUrl(input.url);
  return {
    id: feedIdFor(url),
    url,
    name: input.name?.trim() || new URL(url).hostname,
    language: input.language,
    enabled: true,
    nextPollAt: now.toISOString(),
    consecutiveFailures: 0,
    createdAt: now.toISOString(),
  };
}
