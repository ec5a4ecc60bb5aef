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
/** Due feeds read per index query; a run keeps reading pages until none is left. */
const PAGE_SIZE = 500;

/**
 * Finds the feeds whose next poll has passed (index queries, a page at a time), queues one message per
 * feed with SendMessageBatch, and pushes each queued feed's next poll past a lease, so a slow poll is not
 * queued twice and the next page starts after this one. A page that could not all be queued ends the
 * run: its feeds stay due and the next run tries them first.
 */
export async function schedulePolls(deps: {
  feeds: FeedStore;
  queue: JobQueue<PollFeedJob>;
  now?: Date;
  pageSize?: number;
}): Promise<SchedulePollsResult> {
  const now = deps.now ?? new Date();
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  const leaseUntil = new Date(now.getTime() + POLL_LEASE_MS);
  const result: SchedulePollsResult = { due: 0, queued: 0, failed: [] };
  for (;;) {
    const due = await deps.feeds.findDue(now, pageSize);
    const jobs = due.map((feed) => ({
      id: feed.id,
      body: { feedId: feed.id, scheduledAt: now.toISOString() } satisfies PollFeedJob,
    }));
    const { sent, failed } = await deps.queue.send(jobs);
    await mapWithConcurrency(sent, 8, (feedId) => deps.feeds.deferNextPoll(feedId, now, leaseUntil));
    result.due += due.length;
    result.queued += sent.length;
    result.failed.push(...failed.map((f) => ({ feedId: f.id, reason: f.reason })));
    if (due.length < pageSize || failed.length > 0) return result;
  }
}
