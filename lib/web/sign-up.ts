import { createHash } from 'node:crypto';
import type { DeliveryJob, SignUpMail } from '#lib/jobs/messages.ts';
import { nextDigestAt } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { CONFIRM_TOKEN_TTL_MS } from '#lib/subscriptions/tokens.ts';
import { parseSubscriberInput, SubscriberInputError, subscriberIdFor } from '#lib/subscriptions/validate.ts';
import type { WebDependencies } from './dependencies.ts';

/** Sign-ups one client address may make per hour, across every instance of the app. */
export const SIGN_UPS_PER_CLIENT_PER_HOUR = 10;
const HOUR_MS = 3_600_000;
/** At most one confirmation mail per address per 15 minutes, and three a day. */
export const CONFIRMATION_MAIL_RULES = [
  { max: 1, withinMs: 15 * 60_000 },
  { max: 3, withinMs: 24 * HOUR_MS },
] as const;

export type SignUpOutcome =
  | { kind: 'accepted' }
  | { kind: 'invalid'; issues: ReadonlyArray<{ field: string; message: string }> }
  | { kind: 'limited' };

/** The rolling log of confirmation mails to one address (keyed by subscriber id, erased with them). */
export const confirmationMailKey = (subscriberId: string) => `confirm-mail#${subscriberId}`;

/**
 * A public sign-up. Whatever state the address is in, the visitor learns only "check your inbox":
 * new, pending and unsubscribed addresses become pending and get a confirmation link; active ones get
 * a pointer to their manage page; suppressed ones (bounced, complained) get nothing. The honeypot and
 * the per-client and per-address limits come first, so bots and floods never reach the queue. The mail
 * itself is sent by the digest sender, which reads the subscriber and signs the link when it sends.
 */
export async function signUp(
  input: Record<string, unknown>,
  client: string | undefined,
  deps: WebDependencies,
): Promise<SignUpOutcome> {
  const now = deps.now();
  // Bots fill every field; people never see this one. Answer as if all went well.
  if (typeof input.website === 'string' && input.website.trim() !== '') return { kind: 'accepted' };

  const clientKey = `sign-up#${createHash('sha256')
    .update(client ?? 'unknown')
    .digest('hex')
    .slice(0, 32)}`;
  if (!(await deps.limits.hit(clientKey, SIGN_UPS_PER_CLIENT_PER_HOUR, HOUR_MS, now))) {
    return { kind: 'limited' };
  }

  let fields: ReturnType<typeof parseSubscriberInput>;
  try {
    fields = parseSubscriberInput(
      { ...input, website: undefined },
      deps.topics.map((topic) => topic.id),
    );
  } catch (error) {
    if (error instanceof SubscriberInputError) return { kind: 'invalid', issues: error.issues };
    throw error;
  }

  const id = subscriberIdFor(fields.email);
  const existing = await deps.subscribers.get(id);
  if (existing?.status === 'suppressed') return { kind: 'accepted' };
  if (existing?.status === 'active' || existing?.status === 'paused') {
    await requestMail(id, 'already-subscribed', now, deps);
    return { kind: 'accepted' };
  }

  const pending: Subscriber = {
    id,
    ...fields,
    status: 'pending',
    createdAt: now.toISOString(),
  };
  const expiresAt = new Date(now.getTime() + CONFIRM_TOKEN_TTL_MS);
  // The same instant the confirmation link expires (the sender signs it from `createdAt`).
  await deps.subscribers.replace(pending, undefined, { expiresAt: Math.floor(expiresAt.getTime() / 1000) });
  await requestMail(id, 'confirm', now, deps);
  return { kind: 'accepted' };
}

/**
 * Asks the digest sender for a sign-up mail unless this address had one too recently. The job names
 * the subscriber and the mail, never the address or a token. A failure to queue is logged, not shown:
 * the answer must not differ by what is known about the address.
 */
async function requestMail(subscriberId: string, mail: SignUpMail, now: Date, deps: WebDependencies) {
  if (!(await deps.limits.takeRolling(confirmationMailKey(subscriberId), CONFIRMATION_MAIL_RULES, now))) {
    deps.log.info('Sign-up mail held back by the per-address limit', { subscriber: subscriberId });
    return;
  }
  const job: DeliveryJob = { kind: 'sign-up-mail', subscriberId, mail, requestedAt: now.toISOString() };
  try {
    const { failed } = await deps.mailQueue.send([{ id: subscriberId, body: job }]);
    if (failed.length > 0) {
      deps.log.error('Could not queue a sign-up mail', {
        subscriber: subscriberId,
        reason: failed[0]?.reason,
      });
    }
  } catch (error) {
    deps.log.error('Could not queue a sign-up mail', { subscriber: subscriberId, error });
  }
}

/** Makes a pending subscriber active and places them in the schedule; false when nothing was pending. */
export async function confirmSubscriber(subscriber: Subscriber, deps: WebDependencies): Promise<boolean> {
  if (subscriber.status !== 'pending') return false;
  const active: Subscriber = { ...subscriber, status: 'active' };
  await deps.subscribers.replace(active, nextDigestAt(active, deps.now())?.toISOString());
  return true;
}
