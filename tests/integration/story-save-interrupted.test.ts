import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { StoryRepository } from '#lib/store/story-repository.ts';
import type { Story } from '#lib/stories/story.ts';
import { makeStory, topicMatch } from '../helpers/factories.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const SEEN = '2026-11-26T09:00:00.000Z';
const WINDOW = { start: new Date('2026-11-26T00:00:00.000Z'), end: new Date('2026-11-27T00:00:00.000Z') };

class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

/** The repository's client, dying at its `crashAt`-th write as a killed process or a full disk would. */
function crashingClient(client: DynamoDBDocumentClient, crashAt: number): DynamoDBDocumentClient {
  let writes = 0;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return (command: { constructor: { name: string } }, ...rest: unknown[]) => {
        const isWrite = /^(Put|Update|BatchWrite|Delete)Command$/.test(command.constructor.name);
        if (isWrite && ++writes === crashAt) return Promise.reject(new SimulatedCrash(`write ${crashAt}`));
        return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      };
    },
  });
}

/** One feed's poll: two relevant stories (one on two topics), one irrelevant. */
function feedStories(prefix: string): Story[] {
  const at = { firstSeenAt: SEEN, publishedAt: '2026-11-26T08:30:00.000Z' };
  return [
    makeStory({
      id: `${prefix}-a`,
      ...at,
      topics: [topicMatch('encryption', 0.9), topicMatch('surveillance', 0.7)],
    }),
    makeStory({ id: `${prefix}-b`, ...at, topics: [topicMatch('surveillance', 0.8)] }),
    makeStory({ id: `${prefix}-c`, ...at, topics: [] }),
  ];
}

async function indexedIds(repository: StoryRepository): Promise<Set<string>> {
  const entries = await Promise.all(
    ['encryption', 'surveillance'].map((topic) => repository.topicWindow(topic, WINDOW.start, WINDOW.end)),
  );
  return new Set(entries.flat().map((entry) => `${entry.topic}:${entry.storyId}`));
}

describe('a story save interrupted at any step', () => {
  const stack = useLocalStack();

  it('is completed by the next save of the same feed: every relevant story indexed, none reported new twice', async () => {
    const { dynamodb, config } = stack().app;
    const healthy = new StoryRepository(dynamodb, config.tables.stories);
    // Count the writes of an uninterrupted save, then crash a fresh save at each of them in turn.
    let totalWrites = 0;
    const counting = new Proxy(dynamodb, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return (command: { constructor: { name: string } }, ...rest: unknown[]) => {
          if (/^(Put|Update|BatchWrite|Delete)Command$/.test(command.constructor.name)) totalWrites++;
          return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
        };
      },
    });
    await new StoryRepository(counting, config.tables.stories).save(feedStories('probe'), 'feed-1');
    expect(totalWrites).toBeGreaterThan(3);

    for (let crashAt = 1; crashAt <= totalWrites; crashAt++) {
      const prefix = `crash${crashAt}`;
      const interrupted = new StoryRepository(crashingClient(dynamodb, crashAt), config.tables.stories);
      const first = await interrupted.save(feedStories(prefix), 'feed-1').catch((error: unknown) => {
        expect(error).toBeInstanceOf(SimulatedCrash);
        return undefined;
      });

      const second = await healthy.save(feedStories(prefix), 'feed-1');

      const reportedNew = [...(first?.created ?? []), ...second.created, ...second.repaired]
        .filter((story) => story.topics.length > 0)
        .map((story) => story.id)
        .sort();
      // Never twice; an interruption after the index is written may cost a story its instant alert,
      // never its place in digests.
      expect({ crashAt, duplicates: reportedNew.length - new Set(reportedNew).size }).toEqual({
        crashAt,
        duplicates: 0,
      });
      const indexed = await indexedIds(healthy);
      expect({ crashAt, indexed: [...indexed].filter((id) => id.includes(`${prefix}-`)).sort() }).toEqual({
        crashAt,
        indexed: [`encryption:${prefix}-a`, `surveillance:${prefix}-a`, `surveillance:${prefix}-b`],
      });
      const third = await healthy.save(feedStories(prefix), 'feed-1');
      expect({ crashAt, repairedAgain: third.repaired.length }).toEqual({ crashAt, repairedAgain: 0 });
    }
  });
});
