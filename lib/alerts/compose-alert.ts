import { topicCandidates } from '#lib/digest/candidates.ts';
import { composeFromCandidates, DEFAULT_MAX_PER_TOPIC } from '#lib/digest/compose.ts';
import type { Digest } from '#lib/digest/digest.ts';
import type { Story } from '#lib/stories/story.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';

/** Inputs for one instant subscriber's alert; `stories` is the poll batch, shared by all subscribers. */
export interface ComposeAlertInput {
  subscriber: Subscriber;
  /** Identifies the poll batch; the alert's window key is `instant:<batchId>`. */
  batchId: string;
  /** Stories newly stored in this poll cycle. */
  stories: readonly Story[];
  /** Alert threshold per topic id; a topic without one never alerts. */
  alertThresholds: ReadonlyMap<string, number>;
  /** Story ids (and cluster ids) already sent to this subscriber. */
  alreadySent: ReadonlySet<string>;
  topicNames: ReadonlyMap<string, string>;
  maxPerTopic?: number | undefined;
}

const batchTimes = new WeakMap<readonly Story[], number>();

/** The latest first-seen time in a batch: the moment recency is measured from, the same for every subscriber. */
function batchTime(stories: readonly Story[]): number {
  let latest = batchTimes.get(stories);
  if (latest === undefined) {
    latest = 0;
    for (const story of stories) latest = Math.max(latest, Date.parse(story.firstSeenAt) || 0);
    batchTimes.set(stories, latest);
  }
  return latest;
}

/**
 * Composes an instant alert: the batch's stories that reach a topic's alert threshold on the
 * subscriber's topics, folded into one message with the same rules as a digest. Undefined when
 * nothing qualifies.
 */
export function composeAlert(input: ComposeAlertInput): Digest | undefined {
  const rankAtMs = batchTime(input.stories);
  return composeFromCandidates({
    subscriber: input.subscriber,
    windowKey: `instant:${input.batchId}`,
    candidatesFor: (topicId) => {
      const threshold = input.alertThresholds.get(topicId);
      if (threshold === undefined) return undefined;
      return topicCandidates(topicId, input.stories, { minTopicScore: threshold, rankAtMs });
    },
    alreadySent: input.alreadySent,
    topicNames: input.topicNames,
    maxPerTopic: input.maxPerTopic ?? DEFAULT_MAX_PER_TOPIC,
  });
}
