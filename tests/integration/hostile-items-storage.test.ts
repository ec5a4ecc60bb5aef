import { describe, expect, it } from 'vitest';
import { newFeed } from '#lib/feeds/feed.ts';
import { type PollDependencies, pollFeed } from '#lib/ingest/poll-feed.ts';
import { StoryRepository } from '#lib/store/story-repository.ts';
import { useFeedServer } from '../helpers/feed-server.ts';
import { useLocalStack } from '../helpers/local-stack.ts';
import { hoursAgo, rss2, type SampleItem } from '../helpers/sample-feeds.ts';

// Relevant items (the real topic pack files them under encryption), so each stored story is also indexed.
const relevant = (slug: string, title: string): SampleItem => ({
  title,
  link: `https://news.example/${slug}`,
  summary: 'Ministers want messaging apps to weaken end-to-end encryption so police can read messages.',
  published: hoursAgo(2),
});
const neighbours = (feed: string, count: number) =>
  Array.from({ length: count }, (_, index) =>
    relevant(
      `${feed}-${index}`,
      `Encryption backdoor row ${feed} number ${index}: ministers and messaging apps clash`,
    ),
  );

describe('feeds with items too big for DynamoDB', () => {
  const stack = useLocalStack();
  const app = () => stack().app;
  const feedServer = useFeedServer();

  async function addFeed(path: string, items: SampleItem[]) {
    feedServer().feeds.set(path, { body: rss2('Hostile', items) });
    const context = app();
    const feed = newFeed({ url: feedServer().url(path) }, new Date());
    await context.feeds.add(feed);
    return feed;
  }

  function pollDependencies(overrides: Partial<PollDependencies> = {}): PollDependencies {
    const context = app();
    return {
      feeds: context.feeds,
      stories: context.stories,
      classifier: context.classifier,
      allowPrivateNetworks: true,
      pollIntervalMinutes: 5,
      ...overrides,
    };
  }

  async function indexedIds(): Promise<Set<string>> {
    const entries = await app().stories.topicWindow(
      'encryption',
      new Date(Date.now() - 3_600_000),
      new Date(Date.now() + 60_000),
    );
    return new Set(entries.map((entry) => entry.storyId));
  }

  it('a 3 kB GUID: the feed is stored whole, the GUID kept as its hash', async () => {
    const longGuid = relevant('long-guid', 'Encryption bill with a very long GUID reaches parliament');
    longGuid.guid = `urn:example:${'g'.repeat(3 * 1024)}`;
    const feed = await addFeed('/long-guid.xml', [longGuid, ...neighbours('guid', 5)]);

    const outcome = await pollFeed(feed.id, pollDependencies());

    expect(outcome).toMatchObject({ status: 'updated', skipped: 0 });
    if (outcome.status !== 'updated') return;
    expect(outcome.created).toHaveLength(6);
    const stored = await app().stories.getMany(outcome.created.map((story) => story.id));
    expect(stored).toHaveLength(6);
    expect(stored.find((story) => story.title.includes('very long GUID'))?.guid).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
    const indexed = await indexedIds();
    for (const story of outcome.created) expect(indexed.has(story.id), story.title).toBe(true);
    expect((await app().feeds.get(feed.id))?.consecutiveFailures).toBe(0);
  });

  it('a 150 kB link: the item is stored without the link and its 30 neighbours are indexed', async () => {
    const longLink = relevant('x', 'Encryption story whose link is 150 kB long');
    longLink.link = `https://news.example/${'l'.repeat(150 * 1024)}`;
    longLink.guid = 'urn:example:long-link-story';
    const feed = await addFeed('/long-link.xml', [longLink, ...neighbours('link', 30)]);

    const outcome = await pollFeed(feed.id, pollDependencies());

    expect(outcome).toMatchObject({ status: 'updated', skipped: 0 });
    if (outcome.status !== 'updated') return;
    expect(outcome.created).toHaveLength(31);
    expect(outcome.created.find((story) => story.title.includes('150 kB'))?.link).toBe('');
    const indexed = await indexedIds();
    for (const story of outcome.created) expect(indexed.has(story.id), story.title).toBe(true);
  });

  it('a poll whose save fails shows the feed as failing, with the reason, and still throws for a retry', async () => {
    const feed = await addFeed('/unstorable.xml', neighbours('unstorable', 2));
    // A store the feed cannot be written to (a table that does not exist): a real DynamoDB refusal.
    const brokenStore = new StoryRepository(app().dynamodb, 'no-such-table');

    await expect(pollFeed(feed.id, pollDependencies({ stories: brokenStore }))).rejects.toThrow();

    const after = await app().feeds.get(feed.id);
    expect(after?.consecutiveFailures).toBe(1);
    // The first read of the story table (looking for copies of the stories already stored) is refused.
    expect(after?.lastError).toMatchObject({
      name: 'PollError',
      message: expect.stringMatching(
        /^Finding earlier copies of its stories failed \(ResourceNotFoundException: .+\); the poll will be retried$/,
      ),
    });
  });
});
