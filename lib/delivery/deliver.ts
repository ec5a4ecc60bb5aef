import { composeAlert } from '#lib/alerts/compose-alert.ts';
import { composeDigest, type Digest } from '#lib/digest/compose.ts';
import { type RenderContext, renderDigest } from '#lib/digest/render.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import type { StoryStore } from '#lib/stories/story-store.ts';
import { nextDigestAt } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { SubscriberStore } from '#lib/subscriptions/subscriber-store.ts';
import type { DeliveryLedgerStore } from './ledger.ts';
import type { Mailer } from './mailer.ts';
import type { StoryWindowReader } from './story-window-reader.ts';

export interface DeliveryDependencies {
  stories: StoryStore;
  /** The subscriber and their ledger, claims and records. */
  deliveries: DeliveryLedgerStore;
  /**
   * Claims taken before this instant belong to senders known to be gone (a local pipeline that holds
   * its data folder alone was restarted), so they need not wait out their lease.
   */
  claimsAbandonedBefore?: Date;
  /** Moves a digest subscriber on to their next window once this one is settled. */
  subscribers: Pick<SubscriberStore, 'scheduleNext'>;
  reader: StoryWindowReader;
  mailer: Mailer;
  topicNames: ReadonlyMap<string, string>;
  alertThresholds: ReadonlyMap<string, number>;
  /** Signed unsubscribe and manage links for a subscriber. */
  linksFor(subscriber: Subscriber): Omit<RenderContext, 'subscriber'>;
  now?: () => Date;
}

export type DeliveryOutcome =
  | {
      status: 'sent';
      subscriberId: string;
      key: string;
      stories: number;
      messageId: string;
      location?: string | undefined;
    }
  | { status: 'empty' | 'already-sent' | 'skipped'; subscriberId: string; key: string; reason?: string };

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
 * Sends one digest or alert exactly once: compose (nothing to say → nothing sent), claim the
 * (subscriber, window) record, send, then record every story sent. A failed send gives the claim back
 * and throws, so the queue retries; a redelivered job finds the window already sent and sends nothing.
 * A digest subscriber moves on to their next window only once this one is settled (sent or empty).
 */
export async function deliverJob(job: DeliveryJob, deps: DeliveryDependencies): Promise<DeliveryOutcome> {
  const outcome = await deliverOnce(job, deps);
  if (
    job.kind === 'digest' &&
    isScheduledWindow(job.window.key) &&
    (outcome.status === 'sent' || outcome.status === 'empty' || outcome.status === 'already-sent')
  ) {
    const next = outcome.subscriber && nextDigestAt(outcome.subscriber, new Date(job.window.end));
    if (next) await deps.subscribers.scheduleNext(job.subscriberId, next.toISOString(), job.window.end);
  }
  const { subscriber: _subscriber, ...reported } = outcome;
  return reported;
}

/**
 * Only the schedule's own windows (`daily:…`, `weekly:…`) move a subscriber on: a digest an operator
 * sends by hand (`cipherwatch digest send`, any window) must not shorten the window they are owed.
 */
function isScheduledWindow(key: string): boolean {
  return key.startsWith('daily:') || key.startsWith('weekly:');
}

async function deliverOnce(
  job: DeliveryJob,
  deps: DeliveryDependencies,
): Promise<DeliveryOutcome & { subscriber?: Subscriber }> {
  const now = deps.now?.() ?? new Date();
  const key = job.kind === 'digest' ? job.window.key : job.key;
  const base = { subscriberId: job.subscriberId, key };
  const { subscriber, ledger } = await deps.deliveries.readState(job.subscriberId);
  if (subscriber?.status !== 'active') {
    return {
      ...base,
      status: 'skipped',
      reason: subscriber ? `subscriber is ${subscriber.status}` : 'no such subscriber',
    };
  }

  const settled = { ...base, subscriber };
  // A redelivered job whose email already went: nothing to compose.
  const previous = ledger.windows.get(key);
  if (previous?.status === 'sent') return { ...settled, status: 'already-sent' };

  const digest = await compose(job, subscriber, ledger.sent, deps);
  if (!digest) return { ...settled, status: 'empty' };

  const claim = await deps.deliveries.claim(
    subscriber.id,
    key,
    now,
    CLAIM_LEASE_MS,
    deps.claimsAbandonedBefore,
  );
  if (claim === 'already-sent') return { ...settled, status: 'already-sent' };
  if (claim === 'in-progress') throw new DeliveryInProgressError(key);
  const idempotencyKey = `${subscriber.id}:${key}`;
  const storyIds = [...digest.storyIds, ...digest.clusterIds];

  if (previous?.status === 'sending') {
    // We took over the claim of a sender that died after claiming, perhaps after sending. Resend only
    // when the transport can tell it did not send; when it cannot tell (SES, SMTP), a possible
    // duplicate is worse than a possible gap, so the window is recorded and not sent again.
    const wentOut = await deps.mailer.wasSent?.(idempotencyKey);
    if (wentOut !== false) {
      await deps.deliveries.markSent(subscriber.id, key, storyIds, 'unconfirmed', now, ledger);
      return {
        ...settled,
        status: 'already-sent',
        reason: wentOut
          ? 'sent before its sender stopped; recorded now'
          : 'its sender stopped mid-send; not resent',
      };
    }
  }

  let sent: { messageId: string; location?: string | undefined };
  try {
    const rendered = renderDigest(digest, { subscriber, ...deps.linksFor(subscriber) });
    sent = await deps.mailer.send({
      to: subscriber.email,
      rendered,
      idempotencyKey,
    });
  } catch (error) {
    await deps.deliveries.release(subscriber.id, key);
    throw error;
  }
  // Cluster ids too, so a later copy of a wire story already sent is recognised.
  await deps.deliveries.markSent(subscriber.id, key, storyIds, sent.messageId, now, ledger);
  return {
    ...settled,
    status: 'sent',
    stories: digest.totalStories,
    messageId: sent.messageId,
    location: sent.location,
  };
}

async function compose(
  job: DeliveryJob,
  subscriber: Subscriber,
  alreadySent: ReadonlySet<string>,
  deps: DeliveryDependencies,
): Promise<Digest | undefined> {
  if (job.kind === 'digest') {
    const storiesByTopic = await deps.reader.storiesByTopic(
      subscriber.topics,
      new Date(job.window.start),
      new Date(job.window.end),
    );
    return composeDigest({
      subscriber,
      window: job.window,
      storiesByTopic,
      alreadySent,
      topicNames: deps.topicNames,
    });
  }
  const stories = await deps.stories.getMany(job.storyIds);
  return composeAlert({
    subscriber,
    batchId: job.key.replace(/^instant:/, ''),
    stories,
    alertThresholds: deps.alertThresholds,
    alreadySent,
    topicNames: deps.topicNames,
  });
}
