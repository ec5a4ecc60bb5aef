import { createHash } from 'node:crypto';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import { isNews } from '#lib/stories/freshness.ts';
import type { Story } from '#lib/stories/story.ts';
import type { SubscriberStore } from '#lib/subscriptions/subscriber-store.ts';

/**
 * The instant alerts a poll batch's new stories call for: one job per interested subscriber for the
 * stories that reach a topic's alert threshold, several stories folded into one job, and the job's key
 * (a hash of its stories) making a redelivered job, or the same batch seen twice, send once.
 */
export async function alertJobs(deps: {
  stories: readonly Story[];
  topics: readonly TopicDefinition[];
  subscribers: SubscriberStore;
}): Promise<Array<Extract<DeliveryJob, { kind: 'alert' }>>> {
  const thresholds = new Map(deps.topics.map((topic) => [topic.id, topic.alertThreshold]));
  const alerting = deps.stories.filter(
    (story) =>
      isNews(story) &&
      story.topics.some((topic) => topic.score >= (thresholds.get(topic.id) ?? Number.POSITIVE_INFINITY)),
  );
  if (alerting.length === 0) return [];

  const readers = await deps.subscribers.listInstant();
  return readers.flatMap((subscriber) => {
    const wanted = new Set(subscriber.topics);
    const storyIds = alerting
      .filter((story) =>
        story.topics.some(
          (topic) =>
            wanted.has(topic.id) && topic.score >= (thresholds.get(topic.id) ?? Number.POSITIVE_INFINITY),
        ),
      )
      .map((story) => story.id)
      .sort()
      .slice(0, 100);
    if (storyIds.length === 0) return [];
    const key = `instant:${createHash('sha256').update(storyIds.join(',')).digest('hex').slice(0, 24)}`;
    return [{ kind: 'alert' as const, subscriberId: subscriber.id, key, storyIds }];
  });
}

/** Queues the instant alerts for a poll batch's new stories (see `alertJobs`). */
export async function enqueueAlerts(deps: {
  stories: readonly Story[];
  topics: readonly TopicDefinition[];
  subscribers: SubscriberStore;
  queue: JobQueue<DeliveryJob>;
}): Promise<{ alerts: number; failed: number }> {
  const jobs = await alertJobs(deps);
  if (jobs.length === 0) return { alerts: 0, failed: 0 };
  const { sent, failed } = await deps.queue.send(
    jobs.map((job) => ({ id: `${job.subscriberId}:${job.key}`, body: job })),
  );
  return { alerts: sent.length, failed: failed.length };
}
