import { describe, expect, it } from 'vitest';
import { newFeed } from '#lib/feeds/feed.ts';
import { schedulePolls } from '#lib/ingest/schedule-polls.ts';
import type { JobQueue, OutgoingJob } from '#lib/jobs/job-queue.ts';
import type { PollFeedJob } from '#lib/jobs/messages.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const NOW = new Date('2026-11-30T08:00:00.000Z');

/** The real SQS queue, with the option of refusing one message the way a throttled batch does. */
function queueRefusing(real: JobQueue<PollFeedJob>, refuse: (index: number) => boolean) {
  const queued: string[] = [];
  let seen = 0;
  const queue: JobQueue<PollFeedJob> = {
    async send(jobs: readonly OutgoingJob<PollFeedJob>[]) {
      const refused = jobs.filter(() => refuse(seen++));
      const result = await real.send(jobs.filter((job) => !refused.includes(job)));
      queued.push(...result.sent);
      return {
        sent: result.sent,
        failed: [...result.failed, ...refused.map((job) => ({ id: job.id, reason: 'throttled' }))],
      };
    },
  };
  return { queue, queued };
}

describe('schedulePolls on the local stack', () => {
  const stack = useLocalStack();

  it('queues every due feed in one run, a page at a time, each once', async () => {
    const { app } = stack();
    for (let i = 0; i < 25; i++)
      await app.feeds.add(
        newFeed({ url: `https://paged${i}.example/feed.xml` }, new Date(NOW.getTime() - 60_000)),
      );
    const { queue, queued } = queueRefusing(app.queues.pollFeeds, () => false);

    const result = await schedulePolls({ feeds: app.feeds, queue, now: NOW, pageSize: 10 });

    expect(result).toEqual({ due: 25, queued: 25, failed: [] });
    expect(new Set(queued).size).toBe(25);
    expect(await app.feeds.findDue(NOW)).toEqual([]);
  });

  it('stops at a page the queue refused in part, leaving those feeds due for the next run', async () => {
    const { app } = stack();
    // Before the first test's 15-minute leases end, so only this test's feeds are due.
    const later = new Date(NOW.getTime() + 10 * 60_000);
    for (let i = 0; i < 12; i++)
      await app.feeds.add(
        newFeed({ url: `https://refused${i}.example/feed.xml` }, new Date(later.getTime() - 60_000)),
      );
    const { queue, queued } = queueRefusing(app.queues.pollFeeds, (index) => index === 3);

    const result = await schedulePolls({ feeds: app.feeds, queue, now: later, pageSize: 5 });

    expect(result.queued).toBe(4);
    expect(result.failed).toHaveLength(1);
    expect(queued).toHaveLength(4);
    expect(await app.feeds.findDue(later)).toHaveLength(8);
  });
});
