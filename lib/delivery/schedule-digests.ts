import { mapWithConcurrency } from '#lib/batches.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import type { Log } from '#lib/log.ts';
import { type DigestWindow, nextDigestAt, owedDigestWindow } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { SubscriberStore } from '#lib/subscriptions/subscriber-store.ts';

export interface ScheduleDigestsResult {
  due: number;
  queued: number;
  failed: number;
}

/**
 * The hourly round: every subscriber whose next digest time has passed (one index query) gets a job for
 * the window they are owed, computed in their own time zone, so daylight-saving changes move the UTC
 * hour, never the local one. Queueing changes nothing stored: the sender moves the subscriber on once
 * the digest is recorded, so a job lost on the way (a crash, an emptied local queue) is queued again by
 * the next round, and the ledger keeps a job queued twice from sending twice.
 */
export async function scheduleDigests(deps: {
  subscribers: SubscriberStore;
  queue: JobQueue<DeliveryJob>;
  log: Log;
  now?: Date;
}): Promise<ScheduleDigestsResult> {
  const now = deps.now ?? new Date();
  const due = await deps.subscribers.findDue(now);
  const jobs: { id: string; body: DeliveryJob }[] = [];
  const settled: Subscriber[] = [];
  for (const subscriber of due) {
    let window: DigestWindow | undefined;
    try {
      window = owedDigestWindow(subscriber, now);
    } catch (error) {
      deps.log.error('Subscriber has an unusable schedule; skipping', { subscriber: subscriber.id, error });
      continue;
    }
    if (window)
      jobs.push({ id: subscriber.id, body: { kind: 'digest', subscriberId: subscriber.id, window } });
    // Due, yet a digest already covered the window (its sender stopped before moving them on).
    else settled.push(subscriber);
  }
  const { sent, failed } = await deps.queue.send(jobs);
  await mapWithConcurrency(settled, 8, async (subscriber) => {
    const next = nextDigestAt(subscriber, now);
    if (next) await deps.subscribers.scheduleNext(subscriber.id, next.toISOString(), undefined);
  });
  for (const failure of failed)
    deps.log.error('Could not queue a digest; the next round will try again', failure);
  return { due: due.length, queued: sent.length, failed: failed.length };
}
