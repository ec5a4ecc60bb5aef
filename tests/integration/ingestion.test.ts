import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES } from '#lib/aws/resources.ts';
import { type Feed, newFeed } from '#lib/feeds/feed.ts';
import { createPollFeedsHandler } from '#lib/handlers/poll-feeds.ts';
import { createSchedulePollsHandler } from '#lib/handlers/schedules.ts';
import { createQueueConsumer } from '#lib/local/event-source.ts';
import type { Story } from '#lib/stories/story.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { lambdaEnvironment, startTestStack, stopTestStack, type TestStack } from '../helpers/local-stack.ts';
import { runCli } from '../helpers/run-cli.ts';
import { atom, hoursAgo, rss1, rss2, type SampleItem } from '../helpers/sample-feeds.ts';

const ENCRYPTION_DEMAND: SampleItem = {
  title: 'Home Secretary demands access to encrypted WhatsApp messages after Westminster attack',
  link: 'https://news.example/uk/encryption-demand?utm_source=rss&utm_medium=feed',
  summary:
    'The Home Secretary said messaging apps must give the security services access to end-to-end encrypted messages, ' +
    'after it emerged the attacker used WhatsApp minutes before the attack.',
  published: hoursAgo(3),
};
const LOTTERY: SampleItem = {
  title: 'Lottery results: winning numbers for Saturday night',
  link: 'https://news.example/lottery',
  summary: 'The jackpot rolls over again after no ticket matched all six numbers.',
  published: hoursAgo(2),
};
const MI5_WARNING: SampleItem = {
  title: 'MI5 chief warns of sharp rise in state-backed plots against the UK',
  link: 'https://rdf.example/mi5-warning',
  summary:
    'The director general of MI5 said the security service had disrupted dozens of plots by hostile states.',
  published: hoursAgo(5),
};
const FACIAL_RECOGNITION: SampleItem = {
  title: 'Police expand live facial recognition surveillance vans across London',
  link: 'https://atom.example/facial-recognition',
  summary:
    'Campaigners say the Metropolitan Police use of live facial recognition is mass surveillance without a legal basis.',
  published: hoursAgo(1),
};
const CYRILLIC_TITLE = 'ФСБ требует от мессенджеров ключи шифрования';

describe('feed ingestion through the queues', () => {
  // Each test gets its own emulators, publisher and registry, so none depends on another's rounds.
  let stack: TestStack;
  let server: FeedServer;
  let feeds: Record<string, Feed>;

  beforeEach(async () => {
    stack = await startTestStack({ env: { CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: 'true' } });
    feeds = {};
    server = await startFeedServer();
    server.feeds.set('/rss2.xml', {
      body: rss2('Daily News', [ENCRYPTION_DEMAND, LOTTERY]),
      etag: '"rss2-v1"',
    });
    server.feeds.set('/rdf.xml', {
      body: rss1('RDF Wire', [
        MI5_WARNING,
        { ...ENCRYPTION_DEMAND, link: 'https://news.example/uk/encryption-demand#top' },
      ]),
      contentType: 'application/rdf+xml',
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
    });
    server.feeds.set('/atom.xml', {
      body: atom('Atom Desk', [FACIAL_RECOGNITION]),
      contentType: 'application/atom+xml',
      etag: '"atom-v1"',
      gzip: true,
    });
    server.feeds.set('/cyrillic.xml', {
      body: iconv.encode(
        rss2(
          'Новости',
          [
            {
              ...LOTTERY,
              title: CYRILLIC_TITLE,
              link: 'https://ru.example/fsb',
              summary: 'Ключи шифрования.',
            },
          ],
          'windows-1251',
        ),
        'win1251',
      ),
      contentType: 'application/rss+xml',
      etag: '"ru-v1"',
    });
    const { feeds: repository } = stack.app;
    for (const path of server.feeds.keys()) {
      const feed = newFeed({ url: server.url(path), name: path.slice(1) }, new Date());
      await repository.add(feed);
      feeds[path] = feed;
    }
  });

  afterEach(async () => {
    await server.close();
    await stopTestStack(stack);
  });

  async function pollRound(): Promise<void> {
    await createSchedulePollsHandler(stack.app)();
    const queue = stack.queues.pollFeeds;
    const consumer = createQueueConsumer({
      sqs: stack.app.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      handler: createPollFeedsHandler(stack.app),
      batchSize: queue.definition.batchSize,
    });
    await consumer.drain();
  }

  async function makeAllDue(): Promise<void> {
    const { feeds: repository } = stack.app;
    for (const feed of Object.values(feeds))
      await repository.setEnabled(feed.id, true, undefined, new Date());
  }

  async function storedStories(): Promise<Story[]> {
    const result = await stack.app.dynamodb.send(
      new ScanCommand({
        TableName: TABLES.stories.name,
        FilterExpression: 'sk = :story',
        ExpressionAttributeValues: { ':story': 'STORY' },
      }),
    );
    return (result.Items ?? []) as Story[];
  }

  it('stores every story once, with its topics, and credits a story carried by two feeds to both', async () => {
    await pollRound();

    const stories = await storedStories();
    const demand = stories.filter((story) => story.title === ENCRYPTION_DEMAND.title);
    expect(demand).toHaveLength(1);
    expect(demand[0]?.canonicalUrl).toBe('https://news.example/uk/encryption-demand');
    expect(demand[0]?.sources.map((source) => source.feedId).sort()).toEqual(
      [feeds['/rss2.xml']?.id, feeds['/rdf.xml']?.id].sort(),
    );
    expect(demand[0]?.topics.map((topic) => topic.id)).toContain('encryption');
    expect(demand[0]?.topics[0]?.evidence.length).toBeGreaterThan(0);
    expect(stories.find((story) => story.title === MI5_WARNING.title)?.topics.map((t) => t.id)).toContain(
      'security-services',
    );
    expect(
      stories.find((story) => story.title === FACIAL_RECOGNITION.title)?.topics.map((t) => t.id),
    ).toContain('surveillance');
    expect(stories.find((story) => story.title === LOTTERY.title)?.topics).toEqual([]);
    expect(stories.some((story) => story.title === CYRILLIC_TITLE)).toBe(true);
    expect(stories).toHaveLength(5);
  });

  it('records each feed healthy, with the validators its server sent', async () => {
    await pollRound();
    const { feeds: repository } = stack.app;
    const rss = await repository.get(feeds['/rss2.xml']?.id ?? '');
    const rdf = await repository.get(feeds['/rdf.xml']?.id ?? '');

    expect(rss).toMatchObject({ etag: '"rss2-v1"', consecutiveFailures: 0 });
    expect(rss?.lastSuccessAt).toBeDefined();
    expect(rdf?.lastModified).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
  });

  it('sends the stored validators in the next round, gets 304s and writes nothing new', async () => {
    await pollRound();
    const before = await storedStories();
    server.requests.length = 0;
    await makeAllDue();

    await pollRound();

    expect(server.requests.map((r) => r.status)).toEqual([304, 304, 304, 304]);
    expect(server.requests.find((r) => r.path === '/rss2.xml')?.headers['if-none-match']).toBe('"rss2-v1"');
    expect(server.requests.find((r) => r.path === '/rdf.xml')?.headers['if-modified-since']).toBe(
      'Wed, 25 Nov 2026 10:00:00 GMT',
    );
    expect(await storedStories()).toEqual(before);
  });

  it('keeps a failing feed’s validators and stories, backs it off and shows the error in feeds list', async () => {
    await pollRound();
    const atomFeed = feeds['/atom.xml'] as Feed;
    (server.feeds.get('/atom.xml') as { failWith?: number }).failWith = 503;
    await makeAllDue();
    const startedAt = Date.now();

    await pollRound();

    const failing = await stack.app.feeds.get(atomFeed.id);
    expect(failing).toMatchObject({ etag: '"atom-v1"', consecutiveFailures: 1, enabled: true });
    expect(failing?.lastError?.message).toMatch(/503/);
    // One failure doubles the 5-minute interval, with ±20% jitter.
    expect(Date.parse(failing?.nextPollAt ?? '')).toBeGreaterThan(startedAt + 7 * 60_000);
    expect((await storedStories()).some((story) => story.title === FACIAL_RECOGNITION.title)).toBe(true);

    const { stdout: output } = await runCli(['feeds', 'list'], lambdaEnvironment(stack));
    expect(output).toMatch(/atom\.xml\s+failing/);
    expect(output).toMatch(/503/);
  });

  it('disables a feed whose server says it is gone (410), with the reason in feeds list', async () => {
    server.feeds.set('/gone.xml', { body: '', failWith: 410 });
    const gone = newFeed({ url: server.url('/gone.xml'), name: 'Gone Gazette' }, new Date());
    await stack.app.feeds.add(gone);

    await pollRound();

    const stored = await stack.app.feeds.get(gone.id);
    expect(stored).toMatchObject({ enabled: false });
    expect(stored?.disabledReason).toMatch(/410/);
    const { stdout } = await runCli(['feeds', 'list'], lambdaEnvironment(stack));
    expect(stdout).toMatch(/Gone Gazette.*disabled.*\n\s+↳ .*410/);
  });

  it('recovers when the server does', async () => {
    const atom = server.feeds.get('/atom.xml') as { failWith?: number | undefined };
    await pollRound();
    atom.failWith = 503;
    await makeAllDue();
    await pollRound();
    atom.failWith = undefined;
    await makeAllDue();

    await pollRound();

    const recovered = await stack.app.feeds.get(feeds['/atom.xml']?.id ?? '');
    expect(recovered).toMatchObject({ consecutiveFailures: 0, etag: '"atom-v1"' });
    expect(recovered?.lastError).toBeUndefined();
  });
});
