import {
  InvalidTokenError,
  type TokenPayload,
  type TokenPurpose,
  verifyToken,
} from '#lib/subscriptions/tokens.ts';
import type { WebDependencies } from './dependencies.ts';
import { HttpProblem } from './problem.ts';

/**
 * Verifies a link token, turning any failure into one calm 4xx page: the person learns the link cannot
 * be used and what to do, never which check failed (that goes to the log).
 */
export async function verifyLinkToken(
  token: string | undefined,
  purpose: TokenPurpose,
  deps: Pick<WebDependencies, 'tokenSecret' | 'now' | 'log'>,
): Promise<TokenPayload> {
  if (!token) throw invalidLink();
  try {
    return verifyToken(token, await deps.tokenSecret(), purpose, deps.now());
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    deps.log.info('Refused a link token', { purpose, reason: error.reason });
    if (error.reason === 'expired') {
      throw new HttpProblem(
        410,
        'This link has expired',
        'Links in confirmation emails work for 7 days. Sign up again on the home page and we will send a fresh one.',
      );
    }
    throw invalidLink();
  }
}

function invalidLink(): HttpProblem {
  return new HttpProblem(
    400,
    'This link does not work',
    'The link may have been cut short or changed on the way. Open it again from the email, or copy the whole address. Nothing has been changed.',
  );
}
