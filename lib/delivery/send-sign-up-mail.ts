import type { RenderedEmail } from '#lib/digest/render.ts';
import type { SignUpMailJob } from '#lib/jobs/messages.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { CONFIRM_TOKEN_TTL_MS } from '#lib/subscriptions/tokens.ts';
import type { DeliveryOutcome } from './outcome.ts';
import { type SendOnceDependencies, sendOnce } from './send-once.ts';
import { renderAlreadySubscribedMail, renderConfirmationMail } from './sign-up-mail-content.ts';

/** What sending a sign-up mail needs besides the ledger and the mailer: the signed links. */
export interface SignUpMailDependencies extends SendOnceDependencies {
  /** The signed link that confirms a pending sign-up, valid until `expiresAt`. */
  confirmUrlFor(subscriber: Subscriber, expiresAt: Date): string;
  /** Signed manage (and other) links for a subscriber; only `manageUrl` is used here. */
  linksFor(subscriber: Subscriber): { manageUrl: string };
  now?: () => Date;
}

/** The ledger key of a sign-up mail: one per sign-up (its time), so a redelivered job sends it once. */
export const signUpMailKey = (job: SignUpMailJob) => `sign-up:${job.mail}:${job.requestedAt}`;

/**
 * Sends the mail a sign-up asked for, if the subscriber is still in the state that asked for it: a
 * confirmation link only while their sign-up is pending and unexpired, the manage-page pointer only
 * while they are active or paused. Anything else (confirmed meanwhile, unsubscribed, suppressed by a
 * bounce, erased) sends nothing and is not retried.
 *
 * The confirmation link expires with the pending record: `createdAt` (the latest sign-up) plus
 * CONFIRM_TOKEN_TTL_MS, the same instant DynamoDB's TTL removes the record. A link outliving its
 * record could only ever show "expired"; and time spent in the queue is not added to the link's life.
 */
export async function sendSignUpMail(
  job: SignUpMailJob,
  deps: SignUpMailDependencies,
): Promise<DeliveryOutcome> {
  const now = deps.now?.() ?? new Date();
  const base = { kind: 'sign-up-mail' as const, subscriberId: job.subscriberId, key: signUpMailKey(job) };
  const skip = (reason: string): DeliveryOutcome => ({ ...base, status: 'skipped', reason });

  const { subscriber, ledger } = await deps.deliveries.readState(job.subscriberId);
  if (!subscriber) return skip('no such subscriber');
  let render: () => RenderedEmail;
  let keepLedgerUntil: Date | undefined;
  if (job.mail === 'confirm') {
    if (subscriber.status !== 'pending') return skip(`subscriber is ${subscriber.status}, no longer pending`);
    const expiresAt = new Date(Date.parse(subscriber.createdAt) + CONFIRM_TOKEN_TTL_MS);
    if (!(expiresAt.getTime() > now.getTime())) return skip('the sign-up expired before its mail went');
    render = () => renderConfirmationMail(deps.confirmUrlFor(subscriber, expiresAt));
    // An unconfirmed sign-up is forgotten after 7 days; the record that this mail went goes with it.
    keepLedgerUntil = expiresAt;
  } else {
    if (subscriber.status !== 'active' && subscriber.status !== 'paused') {
      return skip(`subscriber is ${subscriber.status}, not subscribed`);
    }
    render = () => renderAlreadySubscribedMail(deps.linksFor(subscriber).manageUrl);
  }
  if (ledger.windows.get(base.key)?.status === 'sent') return { ...base, status: 'already-sent' };
  const mail = {
    subscriber,
    key: base.key,
    storyIds: [],
    render,
    ...(keepLedgerUntil && { keepLedgerUntil }),
  };
  const sent = await sendOnce(mail, ledger, deps, now);
  return sent.status === 'sent' ? { ...base, ...sent, stories: 0 } : { ...base, ...sent };
}
