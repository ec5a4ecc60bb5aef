import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Feed, newFeed } from '#lib/feeds/feed.ts';
import { createPollFeedsHandler } from '#lib/handlers/poll-feeds.ts';
import { createSchedulePollsHandler } from '#lib/handlers/schedules.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import type { SqsHandler } from '#lib/handlers/sqs-batch.ts';
import type { LocalQueue } from '#lib/local/bootstrap.ts';
import { createQueueConsumer } from '#lib/local/event-source.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { useLocalStack } from '../helpers/local-stack.ts';
import { hoursAgo, rss2, type SampleItem } from '../helpers/sample-feeds.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-alerts-'));
const outbox = path.join(dataDir, 'outbox');

const FIRST: SampleItem = {
  title: 'Home Secretary demands access to end-to-end encrypted WhatsApp messages after terror attack',
  link: 'https://news.example/first',
  summary:
    'Ministers said messaging apps must give the security services a way to read encrypted messages under warrant.',
  published: hoursAgo(1),
};
const SECOND: SampleItem = {
  title: 'EU ministers back Chat Control plan to scan encrypted messages for abuse material',
  link: 'https://news.example/second',
  summary:
    'Client-side scanning would break end-to-end encryption, cryptographers warned interior ministers.',
  published: hoursAgo(0.5),
};
const NOISE: SampleItem = {
  title: 'Bitcoin price jumps as crypto traders cheer ETF inflows',
  link: 'https://news.example/bitcoin',
  summary: 'The cryptocurrency rose 8% overnight.',
  published: hoursAgo(0.5),
};

describe('instant alerts', () => {
  const stack = useLocalStack({
    env: { CIPHERWATCH_HOME: dataDir, CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: 'true' },
  });
  let server: FeedServer;
  let feed: Feed;

  beforeAll(async () => {
    server = await startFeedServer();
    server.feeds.set('/feed.xml', { body: rss2('Wire', [FIRST, NOISE]) });
    const { feeds, subscribers, classifier } = stack().app;
    feed = newFeed({ url: server.url('/feed.xml'), name: 'Wire' }, new Date());
    await feeds.add(feed);
    const topicIds = classifier.pack.topics.map((topic) => topic.id);
    await addSubscriber(
      { email: 'desk@example.org', topics: ['encryption'], frequency: 'instant' },
      { subscribers, topicIds },
    );
    await addSubscriber(
      { email: 'daily@example.org', topics: ['encryption'], frequency: 'daily' },
      { subscribers, topicIds },
    );
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function pollCycle(): Promise<void> {
    await createSchedulePollsHandler(stack().app)();
    await drain(stack().app.sqs, stack().queues.pollFeeds, createPollFeedsHandler(stack().app));
    await drain(stack().app.sqs, stack().queues.digests, createSendDigestsHandler(stack().app));
  }

  async function emails(): Promise<string[]> {
    const files = (await readdir(outbox).catch(() => [])).filter((file) => file.endsWith('.eml'));
    return Promise.all(files.map((file) => readFile(path.join(outbox, file), 'utf8')));
  }

  it('reaches instant subscribers within one poll cycle, and only them', async () => {
    await pollCycle();

    const sent = await emails();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^To: desk@example\.org/m);
    expect(sent[0]).toContain('news.example/first');
    expect(sent[0]).not.toContain('news.example/bitcoin');
  });

  it('alerts only on what is new in the next cycle', async () => {
    server.feeds.set('/feed.xml', { body: rss2('Wire', [SECOND, FIRST, NOISE]) });
    await stack().app.feeds.setEnabled(feed.id, true, undefined, new Date());

    await pollCycle();

    const sent = await emails();
    expect(sent).toHaveLength(2);
    const latest = sent.find((email) => email.includes('news.example/second'));
    expect(latest).toBeDefined();
    expect(latest).not.toContain('news.example/first');
  });

  it('does not alert on old stories, such as the backlog of a newly added feed', async () => {
    const OLD: SampleItem = {
      title: 'Home Office demands access to encrypted iCloud backups under technical capability notice',
      link: 'https://news.example/old',
      summary:
        'The government served Apple a technical capability notice seeking access to end-to-end encrypted data.',
      published: hoursAgo(24 * 30),
    };
    server.feeds.set('/feed.xml', { body: rss2('Wire', [OLD, SECOND, FIRST, NOISE]) });
    await stack().app.feeds.setEnabled(feed.id, true, undefined, new Date());

    await pollCycle();

    expect(await emails()).toHaveLength(2);
  });
});

async function drain(sqs: SQSClient, queue: LocalQueue, handler: SqsHandler): Promise<void> {
  await createQueueConsumer({
    sqs,
    queueUrl: queue.url,
    queueArn: queue.arn,
    handler,
    batchSize: 10,
  }).drain();
}
