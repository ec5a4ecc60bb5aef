import { mapWithConcurrency } from '#lib/batches.ts';
import type { FeedStore } from '#lib/feeds/feed-store.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { PollFeedJob } from '#lib/jobs/messages.ts';

export interface SchedulePollsResult {
  due: number;
  queued: number;
  failed: { feedId: string; reason: string }[];
}

/** A queued poll gets this long before the scheduler may queue the same feed again. */
const POLL_LEASE_MS = 15 * 60_000;

/**
 * Finds the feeds whose next poll has passed (one index query), queues one message per feed with
 * SendMessageBatch, and pushes each queued feed's next poll past a lease so a slow poll is not queued twice.
 */
export async function schedulePolls(deps: {
  feeds: FeedStore;
  queue: JobQueue<PollFeedJob>;
  now?: Date;
}): Promise<SchedulePollsResult> {
  const now = deps.now ?? new Date();
  const due = await deps.feeds.findDue(now);
  const jobs = due.map((feed) => ({
    id: feed.id,
    body: { feedId: feed.id, scheduledAt: now.toISOString() } satisfies PollFeedJob,
  }));
  const { sent, failed } = await deps.queue.send(jobs);
  const leaseUntil = new Date(now.getTime() + POLL_LEASE_MS);
  await mapWithConcurrency(sent, 8, (feedId) => deps.feeds.deferNextPoll(feedId, now, leaseUntil));
  return {
    due: due.length,
    queued: sent.length,
    failed: failed.map((f) => ({ feedId: f.id, reason: f.reason })),
  };
}
