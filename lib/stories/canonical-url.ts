import { hash } from 'node:crypto';
import { parseHttpUrl } from '#lib/http-url.ts';

// Parameters that only say how a reader arrived; they never change which story a URL points at.
const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'yclid',
  'igshid',
]);
// Cheap pre-check so the common query string without tracking is not taken apart.
const TRACKING_HINT = /utm_|clid=|mc_[ce]id=|igshid=/i;

/**
 * The canonical form of a story link: resolved against `base`, http(s) only, host lowercased, no fragment,
 * no credentials, no tracking parameters (`utm_*`, `fbclid`, `gclid`, …). Undefined when the link is unusable.
 */
export function canonicalUrl(link: string, base?: string): string | undefined {
  const url = parseHttpUrl(link, base);
  return url === undefined ? undefined : canonicalize(url);
}

/** The canonical string of an already parsed http(s) URL; `url` itself is modified. */
export function canonicalize(url: URL): string {
  if (url.hash !== '') url.hash = '';
  if (url.username !== '' || url.password !== '') {
    url.username = '';
    url.password = '';
  }
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  if (url.search !== '' && TRACKING_HINT.test(url.search)) {
    // Filtered as text rather than through URLSearchParams, which would re-encode the parameters that stay.
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((pair) => !isTrackingKey(pair.split('=', 1)[0] ?? ''));
    url.search = kept.length === 0 ? '' : `?${kept.join('&')}`;
  }
  return url.href;
}

function isTrackingKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMETERS.has(lower);
}

/** A stable story id: the first 32 hex characters of the SHA-256 of the canonical URL (or GUID). */
export function storyIdFor(canonicalUrlOrGuid: string): string {
  // One-shot hashing: no Hash object per story.
  return hash('sha256', canonicalUrlOrGuid, 'hex').slice(0, 32);
}
