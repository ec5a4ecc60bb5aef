import { describe, expect, it, vi } from 'vitest';
import { newFeed } from '#lib/feeds/feed.ts';
import { pollFeed } from '#lib/ingest/poll-feed.ts';
import { useFeedServer } from '../helpers/feed-server.ts';
import { useLocalStack } from '../helpers/local-stack.ts';
import { hoursAgo, rss2 } from '../helpers/sample-feeds.ts';

describe('re-polling a feed with nothing new', () => {
  const stack = useLocalStack();
  const app = () => stack().app;
  const feedServer = useFeedServer();

  it('looks for no cluster candidates: stories already stored keep their cluster', async () => {
    const items = Array.from({ length: 40 }, (_, index) => ({
      title: `Encryption backdoor plan number ${index} splits ministers and messaging apps`,
      link: `https://news.example/repoll-${index}`,
      summary: 'Ministers want messaging apps to weaken end-to-end encryption so police can read messages.',
      published: hoursAgo(1),
    }));
    // No validators: the server answers 200 with the same items every time.
    feedServer().feeds.set('/same.xml', { body: rss2('Same', items) });
    const context = app();
    const feed = newFeed({ url: feedServer().url('/same.xml') }, new Date());
    await context.feeds.add(feed);
    const deps = {
      feeds: context.feeds,
      stories: context.stories,
      classifier: context.classifier,
      allowPrivateNetworks: true,
      pollIntervalMinutes: 5,
    };
    const topicWindow = vi.spyOn(context.stories, 'topicWindow');

    const first = await pollFeed(feed.id, deps);
    const readsOnFirstPoll = topicWindow.mock.calls.length;
    const second = await pollFeed(feed.id, deps);

    expect(first).toMatchObject({ status: 'updated' });
    expect(first.status === 'updated' && first.created).toHaveLength(40);
    expect(readsOnFirstPoll).toBeGreaterThan(0);
    expect(second).toMatchObject({ status: 'updated', created: [] });
    expect(topicWindow.mock.calls.length).toBe(readsOnFirstPoll);
    topicWindow.mockRestore();
  });
});
