import type { RenderedEmail } from '#lib/digest/render.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { DeliveryLedger, DeliveryLedgerStore } from './ledger.ts';
import type { Mailer } from './mailer.ts';

/** What claiming, sending and recording one email needs. */
export interface SendOnceDependencies {
  deliveries: DeliveryLedgerStore;
  mailer: Mailer;
  /**
   * Claims taken before this instant belong to senders known to be gone (a local pipeline that holds
   * its data folder alone was restarted), so they need not wait out their lease.
   */
  claimsAbandonedBefore?: Date;
}

/** One email to a subscriber under a ledger key: digest window, alert batch or sign-up mail. */
export interface LedgerMail {
  subscriber: Subscriber;
  key: string;
  /** Story and cluster ids it carries, recorded with it (none for a sign-up mail). */
  storyIds: readonly string[];
  render(): RenderedEmail;
  /**
   * When the record of this mail may be forgotten, if sooner than the store's default: a pending
   * sign-up's, so nothing about an address that never confirmed outlives its sign-up.
   */
  keepLedgerUntil?: Date;
}

export type SendOnceResult =
  | { status: 'sent'; messageId: string; location?: string | undefined }
  | { status: 'already-sent'; reason?: string };

/** Another worker holds this job's claim; the message should come back later. */
export class DeliveryInProgressError extends Error {
  override name = 'DeliveryInProgressError';
  constructor(readonly key: string) {
    super(`Delivery ${key} is being sent by another worker; it will be retried.`);
  }
}

/** A claim outlives any sender: longer than the consumer's timeout, shorter than the queue's retries. */
const CLAIM_LEASE_MS = 10 * 60_000;

/**
 * Sends one email exactly once under at-least-once queues: claim the (subscriber, key) record, send,
 * then record it sent with the stories it carried. A failed send gives the claim back and throws, so
 * the queue retries; a redelivered job finds the key already sent and sends nothing. `ledger` is the
 * subscriber's ledger as read before composing.
 */
export async function sendOnce(
  mail: LedgerMail,
  ledger: DeliveryLedger,
  deps: SendOnceDependencies,
  now: Date,
): Promise<SendOnceResult> {
  const { subscriber, key, storyIds, keepLedgerUntil } = mail;
  const claim = await deps.deliveries.claim(
    subscriber.id,
    key,
    now,
    CLAIM_LEASE_MS,
    deps.claimsAbandonedBefore,
    keepLedgerUntil,
  );
  if (claim === 'already-sent') return { status: 'already-sent' };
  if (claim === 'in-progress') throw new DeliveryInProgressError(key);
  const idempotencyKey = `${subscriber.id}:${key}`;

  if (ledger.windows.get(key)?.status === 'sending') {
    // We took over the claim of a sender that died after claiming, perhaps after sending. Resend only
    // when the transport can tell it did not send; when it cannot tell (SES, SMTP), a possible
    // duplicate is worse than a possible gap, so the key is recorded and not sent again.
    const wentOut = await deps.mailer.wasSent?.(idempotencyKey);
    if (wentOut !== false) {
      await deps.deliveries.markSent(subscriber.id, key, storyIds, 'unconfirmed', now, keepLedgerUntil);
      return {
        status: 'already-sent',
        reason: wentOut
          ? 'sent before its sender stopped; recorded now'
          : 'its sender stopped mid-send; not resent',
      };
    }
  }

  let sent: { messageId: string; location?: string | undefined };
  try {
    sent = await deps.mailer.send({ to: subscriber.email, rendered: mail.render(), idempotencyKey });
  } catch (error) {
    await deps.deliveries.release(subscriber.id, key);
    throw error;
  }
  await deps.deliveries.markSent(subscriber.id, key, storyIds, sent.messageId, now, keepLedgerUntil);
  return { status: 'sent', messageId: sent.messageId, location: sent.location };
}
