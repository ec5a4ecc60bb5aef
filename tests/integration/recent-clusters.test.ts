import { describe, expect, it, vi } from 'vitest';
import { newFeed } from '#lib/feeds/feed.ts';
import { pollFeed } from '#lib/ingest/poll-feed.ts';
import { REREAD_OVERLAP_MS, RecentClusters } from '#lib/ingest/recent-clusters.ts';
import { useFeedServer } from '../helpers/feed-server.ts';
import { useLocalStack } from '../helpers/local-stack.ts';
import { rss2 } from '../helpers/sample-feeds.ts';

const HOUR = 3_600_000;
const SUMMARY = 'Ministers want messaging apps to weaken end-to-end encryption so police can read messages.';

describe('cluster candidates kept between polls', () => {
  const stack = useLocalStack();
  const feedServer = useFeedServer();

  /** Serves one story at `path` and adds a feed for it; returns the feed's id and the story's link. */
  async function feedWith(path: string, title: string, published: Date) {
    const link = `https://news.example${path}`;
    feedServer().feeds.set(path, { body: rss2(path, [{ title, link, summary: SUMMARY, published }]) });
    const feed = newFeed({ url: feedServer().url(path) }, published);
    await stack().app.feeds.add(feed);
    return feed.id;
  }

  function poll(feedId: string, recentClusters: RecentClusters, at: Date) {
    const { feeds, stories, classifier } = stack().app;
    return pollFeed(feedId, {
      feeds,
      stories,
      classifier,
      recentClusters,
      allowPrivateNetworks: true,
      pollIntervalMinutes: 5,
      now: () => at,
    });
  }

  async function clusterOfStoryIn(outcome: Awaited<ReturnType<typeof pollFeed>>): Promise<string> {
    const created = outcome.status === 'updated' ? outcome.created : [];
    expect(created).toHaveLength(1);
    const [stored] = await stack().app.stories.getMany([created[0]?.id as string]);
    return stored?.clusterId as string;
  }

  it('folds a later copy into the first story while reading only what is new since the last poll', async () => {
    const start = new Date('2026-11-30T08:00:00Z');
    const first = await feedWith(
      '/wire-a.xml',
      'Home Secretary demands access to encrypted messages after attack',
      start,
    );
    const copy = await feedWith(
      '/wire-b.xml',
      'Home Secretary demands access to encrypted messages after the attack',
      start,
    );
    const recent = new RecentClusters();
    const topicWindow = vi.spyOn(stack().app.stories, 'topicWindow');

    const original = await clusterOfStoryIn(await poll(first, recent, start));
    const later = new Date(start.getTime() + 2 * HOUR);
    const reads = topicWindow.mock.calls.length;
    const copied = await clusterOfStoryIn(await poll(copy, recent, later));

    expect(copied).toBe(original);
    const secondPollStarts = topicWindow.mock.calls.slice(reads).map(([, from]) => from.getTime());
    // The second poll re-reads only a little before the first one's read ended, not two days.
    expect(secondPollStarts.length).toBeGreaterThan(0);
    expect(secondPollStarts.every((from) => from >= start.getTime() + 1 - REREAD_OVERLAP_MS)).toBe(true);
    topicWindow.mockRestore();
  });

  it('finds a copy that another process stored after its own last read', async () => {
    const start = new Date('2026-11-30T08:00:00Z');
    const warmUp = await feedWith(
      '/other-a.xml',
      'Police seek powers to scan encrypted chats for abuse images',
      start,
    );
    const elsewhere = await feedWith(
      '/other-b.xml',
      'Interior ministry orders backdoor into encrypted messaging app',
      new Date(start.getTime() + HOUR),
    );
    const copy = await feedWith(
      '/other-c.xml',
      'Interior ministry orders a backdoor into encrypted messaging app',
      new Date(start.getTime() + 2 * HOUR),
    );
    const thisProcess = new RecentClusters();
    await poll(warmUp, thisProcess, start);
    const original = await clusterOfStoryIn(
      await poll(elsewhere, new RecentClusters(), new Date(start.getTime() + HOUR)),
    );

    const copied = await clusterOfStoryIn(
      await poll(copy, thisProcess, new Date(start.getTime() + 2 * HOUR)),
    );

    expect(copied).toBe(original);
  });

  it('no longer folds into a story older than the two-day lookback', async () => {
    const start = new Date('2026-11-30T08:00:00Z');
    const first = await feedWith(
      '/old-a.xml',
      'Court orders messaging app to hand over decryption keys to police',
      start,
    );
    const muchLater = new Date(start.getTime() + 50 * HOUR);
    const copy = await feedWith(
      '/old-b.xml',
      'Court orders messaging app to hand over its decryption keys to police',
      muchLater,
    );
    const recent = new RecentClusters();
    const original = await clusterOfStoryIn(await poll(first, recent, start));

    const outcome = await poll(copy, recent, muchLater);
    const later = await clusterOfStoryIn(outcome);

    expect(later).not.toBe(original);
    expect(later).toBe(outcome.status === 'updated' ? outcome.created[0]?.id : undefined);
  });
});
