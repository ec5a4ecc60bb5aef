import { describe, expect, it } from 'vitest';
import { composeDigest } from '#lib/digest/compose.ts';
import type { Story } from '#lib/stories/story.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { makeStory, makeSubscriber, TOPIC_NAMES, topicMatch } from '../../helpers/factories.ts';

const WINDOW = {
  start: '2026-03-27T08:00:00.000Z',
  end: '2026-03-28T08:00:00.000Z',
  key: 'daily:2026-03-28',
};
const IN_WINDOW = '2026-03-27T20:00:00.000Z';

function story(id: string, overrides: Partial<Story> = {}): Story {
  return makeStory({ id, firstSeenAt: IN_WINDOW, publishedAt: '2026-03-27T19:00:00.000Z', ...overrides });
}

function byTopic(stories: Story[]): Map<string, Story[]> {
  const map = new Map<string, Story[]>();
  for (const item of stories) {
    for (const topic of item.topics) map.set(topic.id, [...(map.get(topic.id) ?? []), item]);
  }
  return map;
}

function compose(
  stories: Story[],
  options: { subscriber?: Subscriber; sent?: string[]; maxPerTopic?: number } = {},
) {
  return composeDigest({
    subscriber: options.subscriber ?? makeSubscriber(),
    window: WINDOW,
    storiesByTopic: byTopic(stories),
    alreadySent: new Set(options.sent ?? []),
    topicNames: TOPIC_NAMES,
    maxPerTopic: options.maxPerTopic,
  });
}

function shownIds(digest: ReturnType<typeof compose>): string[] {
  return digest?.sections.flatMap((section) => section.entries.map((entry) => entry.story.id)) ?? [];
}

describe('composeDigest', () => {
  it('returns undefined when the window holds no stories', () => {
    expect(compose([])).toBeUndefined();
  });

  it('returns undefined when every story was already sent', () => {
    expect(compose([story('a'), story('b')], { sent: ['a', 'b'] })).toBeUndefined();
  });

  it('builds one section per topic with the topic name, window key and subscriber id', () => {
    const digest = compose([story('a')]);

    expect(digest).toMatchObject({
      subscriberId: 'sub-1',
      windowKey: 'daily:2026-03-28',
      sections: [{ topicId: 'encryption', topicName: 'Encryption', moreCount: 0 }],
      storyIds: ['a'],
      totalStories: 1,
    });
  });

  it('leaves out stories first seen outside the window', () => {
    const stories = [
      story('before', { firstSeenAt: '2026-03-27T07:59:59.000Z' }),
      story('inside', { firstSeenAt: '2026-03-27T08:00:00.000Z' }),
      story('at-end', { firstSeenAt: '2026-03-28T08:00:00.000Z' }),
    ];

    expect(shownIds(compose(stories))).toEqual(['inside']);
  });

  it('never repeats a story already sent to this subscriber', () => {
    expect(shownIds(compose([story('a'), story('b')], { sent: ['a'] }))).toEqual(['b']);
  });

  it('never repeats a wire story whose cluster was already sent', () => {
    const stories = [story('copy', { clusterId: 'wire-1' }), story('other')];

    expect(shownIds(compose(stories, { sent: ['wire-1'] }))).toEqual(['other']);
  });

  it('drops stories below the subscriber minimum score', () => {
    const stories = [story('weak', { topics: [topicMatch('encryption', 0.4)] }), story('strong')];
    const subscriber = makeSubscriber({ filters: { minScore: 0.5 } });

    expect(shownIds(compose(stories, { subscriber }))).toEqual(['strong']);
  });

  it('keeps only stories mentioning an include keyword, in any case', () => {
    const stories = [
      story('ho', { title: 'HOME OFFICE demands access' }),
      story('other', { title: 'EU vote' }),
    ];
    const subscriber = makeSubscriber({ filters: { includeKeywords: ['home office'] } });

    expect(shownIds(compose(stories, { subscriber }))).toEqual(['ho']);
  });

  it('drops stories mentioning an exclude keyword in the title or summary', () => {
    const stories = [story('btc', { summary: 'Bitcoin prices rallied.' }), story('policy')];
    const subscriber = makeSubscriber({ filters: { excludeKeywords: ['bitcoin'] } });

    expect(shownIds(compose(stories, { subscriber }))).toEqual(['policy']);
  });

  it('shows a story on several topics once, in its best-scoring topic', () => {
    const both = story('both', { topics: [topicMatch('encryption', 0.6), topicMatch('surveillance', 0.9)] });
    const subscriber = makeSubscriber({ topics: ['encryption', 'surveillance'] });

    const digest = compose([both, story('enc')], { subscriber });

    expect(
      digest?.sections.map((section) => [section.topicId, section.entries.map((e) => e.story.id)]),
    ).toEqual([
      ['encryption', ['enc']],
      ['surveillance', ['both']],
    ]);
    expect(digest?.totalStories).toBe(2);
  });

  it('places a story only among the subscriber topics, even when it scores higher elsewhere', () => {
    const both = story('both', { topics: [topicMatch('encryption', 0.6), topicMatch('surveillance', 0.9)] });

    const digest = compose([both]);

    expect(digest?.sections.map((section) => section.topicId)).toEqual(['encryption']);
  });

  it('folds near-duplicates of one wire story into one entry that names the other outlets', () => {
    const courier = story('courier', {
      clusterId: 'wire-1',
      topics: [topicMatch('encryption', 0.9)],
      sources: [{ feedId: 'c', feedName: 'The Daily Courier', link: 'https://courier.example/a' }],
    });
    const herald = story('herald', {
      clusterId: 'wire-1',
      topics: [topicMatch('encryption', 0.7)],
      sources: [{ feedId: 'h', feedName: 'Northern Herald', link: 'https://herald.example/a' }],
    });

    const digest = compose([herald, courier]);

    expect(digest?.sections[0]?.entries).toHaveLength(1);
    expect(digest?.sections[0]?.entries[0]?.story.id).toBe('courier');
    expect(digest?.sections[0]?.entries[0]?.alsoReportedBy).toEqual(['Northern Herald']);
    expect(digest?.storyIds.sort()).toEqual(['courier', 'herald']);
    expect(digest?.totalStories).toBe(1);
  });

  it('names every other feed that carried the same story', () => {
    const shared = story('shared', {
      sources: [
        { feedId: 'c', feedName: 'The Daily Courier', link: 'https://x.example/a' },
        { feedId: 'w', feedName: 'EuroWire Policy', link: 'https://x.example/a' },
      ],
    });

    expect(compose([shared])?.sections[0]?.entries[0]?.alsoReportedBy).toEqual(['EuroWire Policy']);
  });

  it('ranks by score first', () => {
    const stories = [
      story('mid', { topics: [topicMatch('encryption', 0.6)] }),
      story('top', { topics: [topicMatch('encryption', 0.95)] }),
      story('low', { topics: [topicMatch('encryption', 0.3)] }),
    ];

    expect(shownIds(compose(stories))).toEqual(['top', 'mid', 'low']);
  });

  it('ranks a fresh story above an older one of the same score', () => {
    const stories = [
      story('old', { publishedAt: '2026-03-27T09:00:00.000Z' }),
      story('fresh', { publishedAt: '2026-03-28T07:00:00.000Z' }),
    ];

    expect(shownIds(compose(stories))).toEqual(['fresh', 'old']);
  });

  it('lets a much stronger old story outrank a weak fresh one', () => {
    const stories = [
      story('weak-fresh', {
        publishedAt: '2026-03-28T07:30:00.000Z',
        topics: [topicMatch('encryption', 0.4)],
      }),
      story('strong-old', {
        publishedAt: '2026-03-27T09:00:00.000Z',
        topics: [topicMatch('encryption', 0.9)],
      }),
    ];

    expect(shownIds(compose(stories))).toEqual(['strong-old', 'weak-fresh']);
  });

  it('caps each topic, counts the rest as "and N more" and records them too, as the subject counts them', () => {
    const stories = Array.from({ length: 10 }, (_, i) =>
      story(`s${i}`, { topics: [topicMatch('encryption', 0.5 + i / 100)] }),
    );

    const digest = compose(stories, { maxPerTopic: 3 });

    expect(shownIds(digest)).toEqual(['s9', 's8', 's7']);
    expect(digest?.sections[0]?.moreCount).toBe(7);
    expect(digest?.totalStories).toBe(10);
    expect(digest?.storyIds).toEqual(['s9', 's8', 's7', 's6', 's5', 's4', 's3', 's2', 's1', 's0']);
    expect(digest?.window).toBeDefined();
  });

  it('caps at 8 per topic by default', () => {
    const stories = Array.from({ length: 12 }, (_, i) => story(`s${i}`));

    expect(compose(stories)?.sections[0]?.entries).toHaveLength(8);
  });

  it('explains each entry from the classifier evidence', () => {
    const evidence = story('ho', {
      topics: [
        {
          id: 'encryption',
          score: 0.9,
          evidence: [
            {
              phrase: 'end-to-end encryption',
              sentence: 'The home secretary wants access to end-to-end encryption.',
            },
            { phrase: 'access', sentence: 'The home secretary wants access to end-to-end encryption.' },
          ],
        },
      ],
    });

    const why = compose([evidence])?.sections[0]?.entries[0]?.why;

    expect(why).toBe(
      'Matched "end-to-end encryption", "access" in: “The home secretary wants access to end-to-end encryption.”',
    );
  });

  it('gives each subscriber their own result from a shared topic window', () => {
    const shared = byTopic([story('a', { title: 'Bitcoin' }), story('b')]);
    const strict = makeSubscriber({ id: 'strict', filters: { excludeKeywords: ['bitcoin'] } });
    const open = makeSubscriber({ id: 'open' });
    const input = {
      window: WINDOW,
      storiesByTopic: shared,
      alreadySent: new Set<string>(),
      topicNames: TOPIC_NAMES,
    };

    const strictDigest = composeDigest({ ...input, subscriber: strict });
    const openDigest = composeDigest({ ...input, subscriber: open });

    expect(strictDigest?.storyIds).toEqual(['b']);
    expect(openDigest?.storyIds.sort()).toEqual(['a', 'b']);
  });
});
