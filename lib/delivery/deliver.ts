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
import type { DeliveryOutcome } from './outcome.ts';
import { sendOnce } from './send-once.ts';
import { sendSignUpMail } from './send-sign-up-mail.ts';
import type { StoryWindowReader } from './story-window-reader.ts';

export type { DeliveryOutcome } from './outcome.ts';
export { DeliveryInProgressError } from './send-once.ts';

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
  /** The signed link that confirms a pending sign-up, valid until `expiresAt`. */
  confirmUrlFor(subscriber: Subscriber, expiresAt: Date): string;
  now?: () => Date;
}

/**
 * Sends one digest, alert or sign-up mail exactly once. A digest or alert is composed (nothing to say →
 * nothing sent), then claimed, sent and recorded with every story it carried (`sendOnce`); a failed
 * send throws, so the queue retries. A digest subscriber moves on to their next window only once this
 * one is settled (sent or empty). Sign-up mails go through `sendSignUpMail`.
 */
export async function deliverJob(job: DeliveryJob, deps: DeliveryDependencies): Promise<DeliveryOutcome> {
  if (job.kind === 'sign-up-mail') return sendSignUpMail(job, deps);
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

type ComposedJob = Exclude<DeliveryJob, { kind: 'sign-up-mail' }>;

async function deliverOnce(
  job: ComposedJob,
  deps: DeliveryDependencies,
): Promise<DeliveryOutcome & { subscriber?: Subscriber }> {
  const now = deps.now?.() ?? new Date();
  const key = job.kind === 'digest' ? job.window.key : job.key;
  const base = { kind: job.kind, subscriberId: job.subscriberId, key };
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

  // Cluster ids too, so a later copy of a wire story already sent is recognised.
  const storyIds = [...digest.storyIds, ...digest.clusterIds];
  const render = () => renderDigest(digest, { subscriber, ...deps.linksFor(subscriber) });
  const sent = await sendOnce({ subscriber, key, storyIds, render }, ledger, deps, now);
  if (sent.status === 'already-sent') return { ...settled, ...sent };
  return { ...settled, ...sent, stories: digest.totalStories };
}

async function compose(
  job: ComposedJob,
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
