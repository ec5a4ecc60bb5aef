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

/**
 * The registry's id for a feed URL: a hash of its canonical form (scheme and host lower-cased, fragment
 * and tracking parameters dropped), so the same feed added twice is recognised.
 */
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
  return withoutTracking(parsed).href;
}

// Parameters that say how a reader arrived at a link, never which feed it is. Story links have their
// own, longer list in lib/stories; the registry sits before stories on the walk, so it keeps this one.
const TRACKING_KEY = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid)$/i;

/** The URL without tracking parameters; the remaining ones keep their order and encoding. */
function withoutTracking(url: URL): URL {
  if (url.search === '') return url;
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !TRACKING_KEY.test(pair.split('=', 1)[0] ?? ''));
  url.search = kept.length === 0 ? '' : `?${kept.join('&')}`;
  return url;
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

/** A language tag that is not a well-formed BCP 47 tag for a language the platform knows. */
export class InvalidLanguageError extends Error {
  override name = 'InvalidLanguageError';
  constructor(readonly tag: string) {
    super(`${JSON.stringify(tag)} is not a language tag; use a BCP 47 tag such as en, de or pt-BR.`);
  }
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** The canonical BCP 47 form of a feed's language (`EN-gb` → `en-GB`); throws for anything else. */
export function normalizeLanguageTag(tag: string): string {
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(tag.trim())[0] ?? '';
  } catch {
    throw new InvalidLanguageError(tag);
  }
  // Well-formed is not enough ("klingon" is): the primary language must be one ICU can name.
  if (!canonical || languageNames.of(new Intl.Locale(canonical).language) === undefined) {
    throw new InvalidLanguageError(tag);
  }
  return canonical;
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
    language: input.language === undefined ? undefined : normalizeLanguageTag(input.language),
    enabled: true,
    nextPollAt: now.toISOString(),
    consecutiveFailures: 0,
    createdAt: now.toISOString(),
  };
}
