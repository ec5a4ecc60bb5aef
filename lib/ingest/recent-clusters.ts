import { ClusterIndex } from '#lib/stories/cluster.ts';
import type { StoryStore, TopicIndexEntry } from '#lib/stories/story-store.ts';

/** How far back a new story looks for an earlier copy of the same wire story. */
const CLUSTER_LOOKBACK_MS = 48 * 3_600_000;
/**
 * Each refresh reads again this far before the previous one ended: a story's index entry carries the time
 * its poll started, and a poll running in another process writes it up to the poll's run time later (the
 * poll consumer stops a batch after 30 seconds); two minutes also covers clocks that disagree a little.
 */
export const REREAD_OVERLAP_MS = 2 * 60_000;
/** Entries past the lookback are dropped once the oldest is this much older, so the index is rebuilt rarely. */
const EVICTION_SLACK_MS = 3_600_000;

interface RecentEntry {
  clusterId: string;
  title: string;
  firstSeenAt: number;
}

/**
 * The relevant stories of the last two days, as cluster candidates, kept between polls in one process (a
 * warm Lambda, the local pipeline): a poll reads only the topic index entries written since the previous
 * read instead of each topic's whole two-day window, which grew with stories × feeds. A fresh process reads
 * the whole window once. Entries are kept a little past the lookback (at most an hour) before the index is
 * rebuilt without them; a copy found among them is still a copy.
 */
export class RecentClusters {
  private readonly readUntil = new Map<string, number>();
  private readonly entries = new Map<string, RecentEntry>();
  private index = new ClusterIndex();
  private oldest = Number.POSITIVE_INFINITY;

  constructor(private readonly lookbackMs = CLUSTER_LOOKBACK_MS) {}

  /**
   * Brings the topics' recent stories up to `now` from the store, reading for each only what it has not
   * read yet, and returns the index to look up copies in.
   */
  async refresh(topics: readonly string[], store: StoryStore, now: Date): Promise<ClusterIndex> {
    const since = now.getTime() - this.lookbackMs;
    this.evictBefore(since);
    const until = new Date(now.getTime() + 1);
    const reads = await Promise.all(
      topics.map(async (topic) => {
        const previous = this.readUntil.get(topic);
        const from = previous === undefined ? since : Math.max(since, previous - REREAD_OVERLAP_MS);
        const found = await store.topicWindow(topic, new Date(from), until);
        return { topic, found };
      }),
    );
    for (const { topic, found } of reads) {
      for (const entry of [...found].sort(byFirstSeen)) this.addStored(entry);
      this.readUntil.set(topic, until.getTime());
    }
    return this.index;
  }

  /** Adds a story of the poll in hand, so a copy later in the same round finds it. */
  add(storyId: string, clusterId: string, title: string, now: Date): void {
    this.put(storyId, { clusterId, title, firstSeenAt: now.getTime() });
  }

  private addStored(entry: TopicIndexEntry): void {
    this.put(entry.storyId, {
      clusterId: entry.clusterId,
      title: entry.title,
      firstSeenAt: Date.parse(entry.firstSeenAt),
    });
  }

  private put(storyId: string, entry: RecentEntry): void {
    // A story on two topics comes back from both windows, and a story of this poll comes back once stored:
    // it is one candidate.
    if (this.entries.has(storyId)) return;
    this.entries.set(storyId, entry);
    this.index.add(entry.clusterId, entry.title);
    this.oldest = Math.min(this.oldest, entry.firstSeenAt);
  }

  private evictBefore(since: number): void {
    if (this.oldest >= since - EVICTION_SLACK_MS) return;
    const kept = [...this.entries].filter(([, entry]) => entry.firstSeenAt >= since);
    kept.sort(([, a], [, b]) => a.firstSeenAt - b.firstSeenAt);
    this.entries.clear();
    this.index = new ClusterIndex();
    this.oldest = Number.POSITIVE_INFINITY;
    for (const [storyId, entry] of kept) this.put(storyId, entry);
    // A topic whose last read is older than the lookback is read whole again.
    for (const [topic, until] of this.readUntil) if (until < since) this.readUntil.delete(topic);
  }
}

const byFirstSeen = (a: TopicIndexEntry, b: TopicIndexEntry) =>
  a.firstSeenAt < b.firstSeenAt ? -1 : a.firstSeenAt > b.firstSeenAt ? 1 : 0;
