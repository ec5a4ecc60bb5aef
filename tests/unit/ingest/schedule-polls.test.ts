import { describe, expect, it } from 'vitest';
import { type Feed, newFeed } from '#lib/feeds/feed.ts';
import type { FeedStore } from '#lib/feeds/feed-store.ts';
import { schedulePolls } from '#lib/ingest/schedule-polls.ts';
import type { JobQueue, OutgoingJob } from '#lib/jobs/job-queue.ts';
import type { PollFeedJob } from '#lib/jobs/messages.ts';

const NOW = new Date('2026-11-30T08:00:00.000Z');

/** A registry double that answers findDue from next-poll times, a page of at most 500 as the repository does. */
function registry(count: number) {
  const feeds = new Map<string, Feed>();
  for (let i = 0; i < count; i++) {
    const feed = newFeed({ url: `https://news${i}.example/feed.xml` }, new Date(NOW.getTime() - 60_000));
    feeds.set(feed.id, feed);
  }
  const store = {
    async findDue(now: Date, limit = 500) {
      return [...feeds.values()]
        .filter((feed) => feed.enabled && Date.parse(feed.nextPollAt) <= now.getTime())
        .slice(0, limit);
    },
    async deferNextPoll(id: string, _now: Date, until: Date) {
      const feed = feeds.get(id);
      if (feed) feeds.set(id, { ...feed, nextPollAt: until.toISOString() });
    },
  };
  return store as unknown as FeedStore;
}

function recordingQueue(failIds: (id: string) => boolean = () => false) {
  const queued: string[] = [];
  const queue: JobQueue<PollFeedJob> = {
    async send(jobs: readonly OutgoingJob<PollFeedJob>[]) {
      const refused = new Set(jobs.filter((job) => failIds(job.id)).map((job) => job.id));
      const sent = jobs.filter((job) => !refused.has(job.id)).map((job) => job.id);
      queued.push(...sent);
      return { sent, failed: [...refused].map((id) => ({ id, reason: 'throttled' })) };
    },
  };
  return { queue, queued };
}

describe('schedulePolls', () => {
  it('queues every due feed in one run, a page at a time, each once', async () => {
    const feeds = registry(1_234);
    const { queue, queued } = recordingQueue();

    const result = await schedulePolls({ feeds, queue, now: NOW });

    expect(result).toEqual({ due: 1_234, queued: 1_234, failed: [] });
    expect(new Set(queued).size).toBe(1_234);
  });

  it('stops at a page the queue refused in part, leaving those feeds due for the next run', async () => {
    const feeds = registry(30);
    let refused = 0;
    const { queue, queued } = recordingQueue(() => refused++ === 3);

    const result = await schedulePolls({ feeds, queue, now: NOW, pageSize: 10 });

    expect(result.queued).toBe(9);
    expect(result.failed).toHaveLength(1);
    expect(queued).toHaveLength(9);
    expect(await feeds.findDue(NOW)).toHaveLength(21);
  });
});
