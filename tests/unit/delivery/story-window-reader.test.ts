import { describe, expect, it } from 'vitest';
import { StoryWindowReader } from '#lib/delivery/story-window-reader.ts';
import type { Story } from '#lib/stories/story.ts';
import type { StoryStore, TopicIndexEntry } from '#lib/stories/story-store.ts';

const NOW = new Date('2026-11-26T08:05:00.000Z');
const HOUR = 3_600_000;
const at = (hoursBefore: number) => new Date(NOW.getTime() - hoursBefore * HOUR);

/** A repository double that records the ranges asked for; the reader's contract is with the repository. */
function recordingRepository() {
  const reads: { topic: string; start: string; end: string }[] = [];
  const repository = {
    async topicWindow(topic: string, start: Date, end: Date): Promise<TopicIndexEntry[]> {
      reads.push({ topic, start: start.toISOString(), end: end.toISOString() });
      return [
        {
          storyId: `${topic}-1`,
          topic,
          score: 0.9,
          title: 't',
          clusterId: `${topic}-1`,
          firstSeenAt: at(2).toISOString(),
        },
      ];
    },
    async getMany(ids: readonly string[]): Promise<Story[]> {
      return ids.map((id) => ({ id }) as Story);
    },
  };
  return { reads, repository: repository as unknown as StoryStore };
}

describe('story window reader', () => {
  it('reads a settled topic window once for every reader who shares it', async () => {
    const { reads, repository } = recordingRepository();
    const reader = new StoryWindowReader(repository, () => NOW);

    const results = await Promise.all(
      Array.from({ length: 50 }, () => reader.storiesByTopic(['encryption', 'surveillance'], at(25), at(1))),
    );

    expect(reads).toHaveLength(2);
    expect(new Set(results.map((r) => r.get('encryption'))).size).toBe(1);
  });

  it('reads each topic once when readers with different but overlapping topics arrive together', async () => {
    const { reads, repository } = recordingRepository();
    const reader = new StoryWindowReader(repository, () => NOW);

    await Promise.all([
      reader.storiesByTopic(['encryption', 'surveillance'], at(25), at(1)),
      reader.storiesByTopic(['encryption'], at(25), at(1)),
      reader.storiesByTopic(['surveillance', 'platform-regulation'], at(25), at(1)),
    ]);

    expect(reads.map((r) => r.topic).sort()).toEqual(['encryption', 'platform-regulation', 'surveillance']);
  });

  it('covers overlapping windows of readers in other time zones with one widened read', async () => {
    const { reads, repository } = recordingRepository();
    const reader = new StoryWindowReader(repository, () => NOW);

    await reader.storiesByTopic(['encryption'], at(25), at(1));
    await reader.storiesByTopic(['encryption'], at(26), at(2));
    await reader.storiesByTopic(['encryption'], at(25.5), at(1.5));

    expect(reads.map((r) => [r.start, r.end])).toEqual([
      [at(25).toISOString(), at(1).toISOString()],
      [at(26).toISOString(), at(1).toISOString()],
    ]);
  });

  it('replaces rather than widens for a window elsewhere in time, so a long-running process reads only what it needs', async () => {
    const { reads, repository } = recordingRepository();
    const reader = new StoryWindowReader(repository, () => NOW);

    await reader.storiesByTopic(['encryption'], at(24 * 30 + 24), at(24 * 30));
    await reader.storiesByTopic(['encryption'], at(25), at(1));

    expect(reads[1]).toEqual({ topic: 'encryption', start: at(25).toISOString(), end: at(1).toISOString() });
  });

  it('does not keep a window that reaches into the last minutes, since late writes may still land in it', async () => {
    const { reads, repository } = recordingRepository();
    const reader = new StoryWindowReader(repository, () => NOW);

    await reader.storiesByTopic(['encryption'], at(24), NOW);
    await reader.storiesByTopic(['encryption'], at(24), NOW);

    expect(reads).toHaveLength(2);
  });
});
