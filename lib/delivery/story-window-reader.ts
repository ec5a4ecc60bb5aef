import type { Story } from '#lib/stories/story.ts';
import type { StoryStore } from '#lib/stories/story-store.ts';

/** Windows ending this long before a read are settled: every poll that saw their stories has written. */
const SETTLE_MS = 5 * 60_000;
/** A held segment never grows past a weekly window plus a day of time-zone spread. */
const MAX_SPAN_MS = 8 * 86_400_000;

interface Segment {
  startMs: number;
  endMs: number;
  stories: Story[];
}

/**
 * Reads "stories on topic T first seen in [A, B)" through the topic index, and remembers settled
 * ranges, so a digest round asks the table once per topic and range however many subscribers share it.
 * The same array is returned for a topic each time, which lets composition memoize its ranking.
 */
export class StoryWindowReader {
  private readonly segments = new Map<string, Segment>();
  /** Reads under way, so jobs handled side by side share one read instead of racing to the table. */
  private readonly pending = new Map<string, Promise<Map<string, Story[]>>>();
  /**
   * The latest read of a topic set. Reads run one after another, so readers whose topic sets differ but
   * overlap (encryption + surveillance, encryption alone) find the shared topic held instead of racing
   * to query it twice.
   */
  private previousRead: Promise<unknown> = Promise.resolve();
  /** Index queries and story reads issued, for the bench and the logs. */
  queries = 0;

  constructor(
    private readonly stories: StoryStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async storiesByTopic(topics: readonly string[], start: Date, end: Date): Promise<Map<string, Story[]>> {
    const key = `${[...new Set(topics)].sort().join(',')}|${start.toISOString()}|${end.toISOString()}`;
    let read = this.pending.get(key);
    if (!read) {
      read = this.previousRead
        .then(() => this.read(topics, start, end))
        .finally(() => this.pending.delete(key));
      this.previousRead = read.catch(() => undefined);
      this.pending.set(key, read);
    }
    return read;
  }

  private async read(topics: readonly string[], start: Date, end: Date): Promise<Map<string, Story[]>> {
    const result = new Map<string, Story[]>();
    const missing: string[] = [];
    for (const topic of new Set(topics)) {
      const segment = this.segments.get(topic);
      if (segment && segment.startMs <= start.getTime() && segment.endMs >= end.getTime()) {
        result.set(topic, segment.stories);
      } else {
        missing.push(topic);
      }
    }
    if (missing.length === 0) return result;

    // Widen what is held when the windows overlap (one round's readers in different zones), so one
    // segment per topic keeps covering the round; a window elsewhere in time replaces it, so a
    // long-running process never reads or holds more than a round's span.
    const fetched = await Promise.all(
      missing.map(async (topic) => {
        const held = this.segments.get(topic);
        const overlaps =
          held !== undefined &&
          held.startMs <= end.getTime() &&
          start.getTime() <= held.endMs &&
          Math.max(end.getTime(), held.endMs) - Math.min(start.getTime(), held.startMs) <= MAX_SPAN_MS;
        const startMs = overlaps ? Math.min(start.getTime(), held.startMs) : start.getTime();
        const endMs = overlaps ? Math.max(end.getTime(), held.endMs) : end.getTime();
        this.queries++;
        const entries = await this.stories.topicWindow(topic, new Date(startMs), new Date(endMs));
        return { topic, startMs, endMs, ids: entries.map((entry) => entry.storyId) };
      }),
    );
    const allIds = [...new Set(fetched.flatMap((f) => f.ids))];
    if (allIds.length > 0) this.queries++;
    const byId = new Map((await this.stories.getMany(allIds)).map((story) => [story.id, story]));

    const settledUntil = this.now().getTime() - SETTLE_MS;
    for (const { topic, startMs, endMs, ids } of fetched) {
      const stories = ids.map((id) => byId.get(id)).filter((story): story is Story => story !== undefined);
      result.set(topic, stories);
      // Only settled ranges are kept: a range reaching into the last minutes may still grow.
      if (endMs <= settledUntil) this.segments.set(topic, { startMs, endMs, stories });
    }
    return result;
  }
}
