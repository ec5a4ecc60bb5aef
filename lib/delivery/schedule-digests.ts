import { mapWithConcurrency } from '#lib/batches.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import type { Log } from '#lib/log.ts';
import { type DigestWindow, digestWindowDue, nextDigestAt } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { SubscriberStore } from '#lib/subscriptions/subscriber-store.ts';

export interface ScheduleDigestsResult {
  due: number;
  queued: number;
  failed: number;
}

/**
 * The hourly round: subscribers whose next digest time has passed (one index query) get one job per
 * window on the digests queue, and their next time moves on once the job is queued. The window comes
 * from their own time zone, so daylight-saving changes move the UTC hour, never the local one.
 */
export async function scheduleDigests(deps: {
  subscribers: SubscriberStore;
  queue: JobQueue<DeliveryJob>;
  log: Log;
  now?: Date;
}): Promise<ScheduleDigestsResult> {
  const now = deps.now ?? new Date();
  const due = await deps.subscribers.findDue(now);
  const jobs: { id: string; body: DeliveryJob; subscriber: Subscriber; window: DigestWindow }[] = [];
  const notDue: Subscriber[] = [];
  for (const subscriber of due) {
    let window: DigestWindow | undefined;
    try {
      window = digestWindowDue(subscriber, now);
    } catch (error) {
      deps.log.error('Subscriber has an unusable schedule; skipping', { subscriber: subscriber.id, error });
      continue;
    }
    if (window) {
      const body: DeliveryJob = { kind: 'digest', subscriberId: subscriber.id, window };
      jobs.push({ id: subscriber.id, body, subscriber, window });
    } else {
      // Its hour passed while nothing ran (a laptop asleep): no catch-up flood, just the next slot.
      notDue.push(subscriber);
    }
  }
  const { sent, failed } = await deps.queue.send(jobs);
  const queued = new Set(sent);
  const toAdvance: { subscriber: Subscriber; windowEnd?: string }[] = [
    ...jobs
      .filter((job) => queued.has(job.id))
      .map((job) => ({ subscriber: job.subscriber, windowEnd: job.window.end })),
    ...notDue.map((subscriber) => ({ subscriber })),
  ];
  await mapWithConcurrency(toAdvance, 8, async ({ subscriber, windowEnd }) => {
    const next = nextDigestAt(subscriber, now);
    if (next) await deps.subscribers.scheduleNext(subscriber.id, next.toISOString(), windowEnd);
  });
  for (const failure of failed)
    deps.log.error('Could not queue a digest; it will be tried next hour', failure);
  return { due: due.length, queued: sent.length, failed: failed.length };
}
