import { createHash } from 'node:crypto';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import { isNews } from '#lib/stories/freshness.ts';
import type { Story } from '#lib/stories/story.ts';
import type { SubscriberStore } from '#lib/subscriptions/subscriber-store.ts';

/**
 * Queues one instant alert per interested subscriber for the stories of a poll batch that reach a
 * topic's alert threshold: several stories fold into one message, and the job's key (a hash of its
 * stories) makes a redelivered job, or the same batch seen twice, send once.
 */
export async function enqueueAlerts(deps: {
  stories: readonly Story[];
  topics: readonly TopicDefinition[];
  subscribers: SubscriberStore;
  queue: JobQueue<DeliveryJob>;
}): Promise<{ alerts: number; failed: number }> {
  const thresholds = new Map(deps.topics.map((topic) => [topic.id, topic.alertThreshold]));
  const alerting = deps.stories.filter(
    (story) =>
      isNews(story) &&
      story.topics.some((topic) => topic.score >= (thresholds.get(topic.id) ?? Number.POSITIVE_INFINITY)),
  );
  if (alerting.length === 0) return { alerts: 0, failed: 0 };

  const readers = await deps.subscribers.listInstant();
  const jobs = readers.flatMap((subscriber) => {
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
    const job: DeliveryJob = { kind: 'alert', subscriberId: subscriber.id, key, storyIds };
    return [{ id: `${subscriber.id}:${key}`, body: job }];
  });
  const { sent, failed } = await deps.queue.send(jobs);
  return { alerts: sent.length, failed: failed.length };
}
