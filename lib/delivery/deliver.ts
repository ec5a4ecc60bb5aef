import { composeAlert } from '#lib/alerts/compose-alert.ts';
import { composeDigest, type Digest } from '#lib/digest/compose.ts';
import { type RenderContext, renderDigest } from '#lib/digest/render.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import type { StoryStore } from '#lib/stories/story-store.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { DeliveryLedgerStore } from './ledger.ts';
import type { Mailer } from './mailer.ts';
import type { StoryWindowReader } from './story-window-reader.ts';

export interface DeliveryDependencies {
  stories: StoryStore;
  /** The subscriber and their ledger, claims and records. */
  deliveries: DeliveryLedgerStore;
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
 */
export async function deliverJob(job: DeliveryJob, deps: DeliveryDependencies): Promise<DeliveryOutcome> {
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

  // A redelivered job whose email already went: nothing to compose.
  if (ledger.windows.get(key)?.status === 'sent') return { ...base, status: 'already-sent' };

  const digest = await compose(job, subscriber, ledger.sent, deps);
  if (!digest) return { ...base, status: 'empty' };

  const claim = await deps.deliveries.claim(subscriber.id, key, now, CLAIM_LEASE_MS);
  if (claim === 'already-sent') return { ...base, status: 'already-sent' };
  if (claim === 'in-progress') throw new DeliveryInProgressError(key);

  let sent: { messageId: string; location?: string | undefined };
  try {
    const rendered = renderDigest(digest, { subscriber, ...deps.linksFor(subscriber) });
    sent = await deps.mailer.send({
      to: subscriber.email,
      rendered,
      idempotencyKey: `${subscriber.id}:${key}`,
    });
  } catch (error) {
    await deps.deliveries.release(subscriber.id, key);
    throw error;
  }
  // Cluster ids too, so a later copy of a wire story already sent is recognised.
  await deps.deliveries.markSent(
    subscriber.id,
    key,
    [...digest.storyIds, ...digest.clusterIds],
    sent.messageId,
    now,
    ledger,
  );
  return {
    ...base,
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
