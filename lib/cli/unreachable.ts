import { FeedFetchError } from '../feeds/errors.ts';

/** System error codes that mean the host could not be found or connected to at all. */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
]);

/** True when a feed failed before any server answered: DNS or the connection itself. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof FeedFetchError) || error.status !== undefined) return false;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/** What to say when no feed of a round could be reached. */
export const OFFLINE_HINT = 'No feed could be reached - is this machine offline?';
