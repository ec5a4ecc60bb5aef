import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import { scheduleDigests } from '#lib/delivery/schedule-digests.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import { createQueueConsumer } from '#lib/local/event-source.ts';
import type { Story } from '#lib/stories/story.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { withCapturedLog } from '../helpers/captured-log.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const HOUR = 3_600_000;
const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-delivery-'));
const outbox = path.join(dataDir, 'outbox');

function story(id: string, firstSeenAt: string, topic = 'encryption', score = 0.9): Story {
  const link = `https://news.example/${id}`;
  return {
    id,
    canonicalUrl: link,
    link,
    title: `Ministers press messaging apps on encrypted chats (${id})`,
    summary: 'The home secretary renewed demands for access to end-to-end encrypted messages.',
    publishedAt: firstSeenAt,
    firstSeenAt,
    sources: [{ feedId: 'feed-a', feedName: 'Daily News', link }],
    topics: [
      {
        id: topic,
        score,
        evidence: [{ phrase: 'end-to-end encrypted', sentence: 'Access to end-to-end encrypted messages.' }],
      },
    ],
    clusterId: id,
  };
}

describe('digest delivery through the queue', () => {
  const stack = useLocalStack({
    env: { CIPHERWATCH_HOME: dataDir, CIPHERWATCH_PUBLIC_URL: 'https://cipherwatch.example' },
  });
  let outcomes: DeliveryOutcome[] = [];

  beforeAll(async () => {
    // Stories first seen around the 2026 spring-forward (Sunday 29 March in London) and a week on.
    const stories = [
      story('sat-0600', '2026-03-28T06:00:00.000Z'),
      story('sun-0500', '2026-03-29T05:00:00.000Z'),
      story('mon-0530', '2026-03-30T05:30:00.000Z'),
      story('apr-02', '2026-04-02T10:00:00.000Z', 'surveillance'),
      story('apr-05', '2026-04-05T10:00:00.000Z', 'surveillance'),
    ];
    await stack().app.stories.save(stories, 'feed-a');
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    outcomes = [];
    await rm(outbox, { recursive: true, force: true });
  });

  async function drainDigests(): Promise<void> {
    const queue = stack().queues.digests;
    const consumer = createQueueConsumer({
      sqs: stack().app.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: queue.definition.batchSize,
      handler: createSendDigestsHandler(stack().app, (handled) => {
        outcomes.push(...handled);
      }),
    });
    await consumer.drain();
  }

  /** Runs the hourly round at a few minutes past every hour from `from` for `hours` hours. */
  async function runHourlyRounds(from: string, hours: number): Promise<string[]> {
    const queuedAt: string[] = [];
    const { subscribers, queues, log } = stack().app;
    for (let hour = 0; hour < hours; hour++) {
      const now = new Date(Date.parse(from) + hour * HOUR + 5 * 60_000);
      const result = await scheduleDigests({
        subscribers,
        queue: queues.digests,
        log,
        now,
      });
      if (result.queued > 0) {
        queuedAt.push(now.toISOString().slice(0, 13));
        await drainDigests();
      }
    }
    return queuedAt;
  }

  async function emails(): Promise<string[]> {
    const files = await readdir(outbox).catch(() => []);
    return Promise.all(
      files
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .map((f) => readFile(path.join(outbox, f), 'utf8')),
    );
  }

  async function subscribe(input: Record<string, unknown>, now: string): Promise<Subscriber> {
    const { subscribers, classifier } = stack().app;
    return addSubscriber(input, {
      subscribers,
      topicIds: classifier.pack.topics.map((t) => t.id),
      now: new Date(now),
    });
  }

  it('sends a London 08:00 daily digest at 08:00 UTC before the clocks change and 07:00 UTC after', async () => {
    const reader = await subscribe(
      {
        email: 'daily@example.org',
        topics: ['encryption'],
        frequency: 'daily',
        timeZone: 'Europe/London',
        deliveryHour: 8,
      },
      '2026-03-27T12:00:00.000Z',
    );

    const queuedAt = await runHourlyRounds('2026-03-28T00:00:00.000Z', 3 * 24);

    expect(queuedAt).toEqual(['2026-03-28T08', '2026-03-29T07', '2026-03-30T07']);
    const sent = await emails();
    expect(sent).toHaveLength(3);
    expect(outcomes.every((o) => o.status === 'sent' && o.subscriberId === reader.id)).toBe(true);
    // Each day's digest carries that day's story and no other.
    const storiesIn = (email: string) =>
      ['sat-0600', 'sun-0500', 'mon-0530'].filter((id) => email.includes(id));
    expect(sent.map(storiesIn).sort()).toEqual([['mon-0530'], ['sat-0600'], ['sun-0500']]);
    await stack().app.subscribers.remove(reader.id);
  });

  it('sends a weekly digest once a week', async () => {
    const reader = await subscribe(
      {
        email: 'weekly@example.org',
        topics: ['encryption', 'surveillance'],
        frequency: 'weekly',
        timeZone: 'America/New_York',
        deliveryHour: 9,
        deliveryWeekday: 5,
      },
      '2026-03-26T12:00:00.000Z',
    );

    const queuedAt = await runHourlyRounds('2026-03-27T00:00:00.000Z', 15 * 24);

    // Fridays 09:00 in New York (EDT, UTC-4).
    expect(queuedAt).toEqual(['2026-03-27T13', '2026-04-03T13', '2026-04-10T13']);
    // The first week (20–27 March) held no stories, so it sent nothing.
    expect(outcomes.filter((o) => o.status === 'sent').map((o) => o.key)).toEqual([
      'weekly:2026-W14',
      'weekly:2026-W15',
    ]);
    expect(outcomes.filter((o) => o.status === 'empty')).toHaveLength(1);
    expect(await emails()).toHaveLength(2);
    await stack().app.subscribers.remove(reader.id);
  });

  it('sends one email when the same job is delivered twice', async () => {
    const reader = await subscribe(
      { email: 'twice@example.org', topics: ['encryption'] },
      '2026-03-27T12:00:00.000Z',
    );
    const job: DeliveryJob = {
      kind: 'digest',
      subscriberId: reader.id,
      window: { start: '2026-03-28T00:00:00.000Z', end: '2026-03-29T00:00:00.000Z', key: 'daily:2026-03-28' },
    };

    await stack().app.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack().queues.digests.url,
        Entries: [
          { Id: 'first', MessageBody: JSON.stringify(job) },
          { Id: 'again', MessageBody: JSON.stringify(job) },
        ],
      }),
    );
    // A copy arriving while the first is sending is put back for retry: expected here, so asserted, not printed.
    const { lines } = await withCapturedLog(drainDigests);
    for (const line of lines) expect(line).toMatch(/DeliveryInProgressError/);
    await stack().app.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack().queues.digests.url,
        Entries: [{ Id: 'later', MessageBody: JSON.stringify(job) }],
      }),
    );
    await drainDigests();

    expect(await emails()).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(1);
  });

  it('never sends a story that an earlier digest already carried', async () => {
    const reader = await subscribe(
      { email: 'overlap@example.org', topics: ['encryption'] },
      '2026-03-27T12:00:00.000Z',
    );
    const { deliverJob } = await import('#lib/delivery/deliver.ts');
    const deps = stack().app.delivery;

    const yesterday = await deliverJob(
      {
        kind: 'digest',
        subscriberId: reader.id,
        window: { start: '2026-03-28T00:00:00.000Z', end: '2026-03-29T06:00:00.000Z', key: 'daily:a' },
      },
      deps,
    );
    const today = await deliverJob(
      {
        kind: 'digest',
        subscriberId: reader.id,
        window: { start: '2026-03-29T00:00:00.000Z', end: '2026-03-31T00:00:00.000Z', key: 'daily:b' },
      },
      deps,
    );

    expect(yesterday).toMatchObject({ status: 'sent', stories: 2 });
    expect(today).toMatchObject({ status: 'sent', stories: 1 });
    const second = (await emails()).find((email) => email.includes('mon-0530'));
    expect(second).toBeDefined();
    expect(second).not.toContain('sun-0500');
  });

  it('sends nothing for an empty window', async () => {
    const reader = await subscribe(
      { email: 'empty@example.org', topics: ['platform-regulation'] },
      '2026-03-27T12:00:00.000Z',
    );
    const { deliverJob } = await import('#lib/delivery/deliver.ts');

    const outcome = await deliverJob(
      {
        kind: 'digest',
        subscriberId: reader.id,
        window: { start: '2026-03-28T00:00:00.000Z', end: '2026-03-29T00:00:00.000Z', key: 'daily:c' },
      },
      stack().app.delivery,
    );

    expect(outcome.status).toBe('empty');
    expect(await emails()).toEqual([]);
  });
});
