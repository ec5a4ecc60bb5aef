import type { Context } from 'hono';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { signToken } from '#lib/subscriptions/tokens.ts';
import type { WebDependencies } from './dependencies.ts';
import { HttpProblem } from './problem.ts';

/** The subscriber a verified link names; a calm 404 when they are gone (erased or never confirmed). */
export async function loadSubscriber(deps: WebDependencies, subscriberId: string): Promise<Subscriber> {
  const subscriber = await deps.subscribers.get(subscriberId);
  if (!subscriber) {
    throw new HttpProblem(
      404,
      'No subscription for this link',
      'This address is no longer subscribed, or its data was deleted. You can subscribe again from the home page.',
    );
  }
  return subscriber;
}

/** The token a form posted back (or, for one-click unsubscribe, the one in the link itself). */
export async function formToken(c: Context): Promise<string | undefined> {
  const body = await c.req.parseBody();
  return typeof body.token === 'string' ? body.token : c.req.query('token');
}

export async function signLink(
  deps: WebDependencies,
  subscriberId: string,
  purpose: 'manage' | 'unsubscribe',
): Promise<string> {
  return signToken({ subscriberId, purpose }, await deps.tokenSecret());
}

/** Pages carrying a token are never cached by a browser or a proxy. */
export function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store');
}
