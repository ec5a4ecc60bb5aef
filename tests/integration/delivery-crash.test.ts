import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxDir } from '#lib/app/create-app.ts';
import { deliverJob } from '#lib/delivery/deliver.ts';
import { scheduleDigests } from '#lib/delivery/schedule-digests.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import { createQueueConsumer } from '#lib/local/event-source.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { makeStory, topicMatch } from '../helpers/factories.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-delivery-crash-'));

describe('digests across a crash', () => {
  const stack = useLocalStack({ env: { CIPHERWATCH_HOME: dataDir } });
  const emailsTo = async (subscriber: Subscriber) =>
    (await readdir(outboxDir(stack().app.config)).catch(() => [])).filter(
      (file) => file.endsWith('.eml') && file.includes(subscriber.email.split('@')[0] as string),
    );

  async function subscribe(email: string): Promise<Subscriber> {
    const { subscribers, classifier } = stack().app;
    // London, 08:00 daily, subscribed the day before the story.
    return addSubscriber(
      { email, topics: ['encryption'], timeZone: 'Europe/London', deliveryHour: 8 },
      {
        subscribers,
        topicIds: classifier.pack.topics.map((t) => t.id),
        now: new Date('2026-11-24T12:00:00Z'),
      },
    );
  }

  async function drainDigests(): Promise<void> {
    const queue = stack().queues.digests;
    await createQueueConsumer({
      sqs: stack().app.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 10,
      handler: createSendDigestsHandler(stack().app),
    }).drain();
  }

  beforeAll(async () => {
    const seen = { firstSeenAt: '2026-11-25T10:00:00.000Z', publishedAt: '2026-11-25T09:30:00.000Z' };
    await stack().app.stories.save(
      [makeStory({ id: 'demand', ...seen, topics: [topicMatch('encryption', 0.9)] })],
      'feed-a',
    );
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('queues a job lost with the queue again in the next round, after the delivery hour, and sends it once', async () => {
    const reader = await subscribe('lost-job@example.org');
    const { subscribers, queues, log, sqs } = stack().app;
    await scheduleDigests({ subscribers, queue: queues.digests, log, now: new Date('2026-11-26T08:05:00Z') });
    // The process dies: the local queue, in memory, is gone with the job.
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack().queues.digests.url }));

    const afterRestart = await scheduleDigests({
      subscribers,
      queue: queues.digests,
      log,
      now: new Date('2026-11-26T10:05:00Z'),
    });
    await drainDigests();
    const nextHour = await scheduleDigests({
      subscribers,
      queue: queues.digests,
      log,
      now: new Date('2026-11-26T11:05:00Z'),
    });

    expect(afterRestart.queued).toBe(1);
    expect(await emailsTo(reader)).toHaveLength(1);
    expect(nextHour.queued).toBe(0);
    expect((await subscribers.get(reader.id))?.lastWindowEnd).toBe('2026-11-26T08:00:00.000Z');
  });

  it('does not resend a digest whose sender stopped between sending and recording it', async () => {
    const reader = await subscribe('crashed-sender@example.org');
    const job: DeliveryJob = {
      kind: 'digest',
      subscriberId: reader.id,
      window: { start: '2026-11-25T08:00:00.000Z', end: '2026-11-26T08:00:00.000Z', key: 'daily:2026-11-26' },
    };
    const { delivery } = stack().app;
    // The first sender claims, sends, and dies before recording.
    const dying = Object.assign(Object.create(delivery.deliveries), {
      markSent: () => Promise.reject(new Error('killed')),
    });
    const sentAt = new Date('2026-11-26T08:05:00Z');
    await expect(deliverJob(job, { ...delivery, deliveries: dying, now: () => sentAt })).rejects.toThrow(
      'killed',
    );
    expect(await emailsTo(reader)).toHaveLength(1);

    // The job comes back after the claim's lease and meets a live sender.
    const retried = await deliverJob(job, { ...delivery, now: () => new Date('2026-11-26T08:20:00Z') });

    expect(retried).toMatchObject({ status: 'already-sent' });
    expect(await emailsTo(reader)).toHaveLength(1);
    expect(
      (await delivery.deliveries.readState(reader.id)).ledger.windows.get('daily:2026-11-26'),
    ).toMatchObject({
      status: 'sent',
    });
  });

  it('sends a digest whose sender stopped after claiming but before sending', async () => {
    const reader = await subscribe('claimed-only@example.org');
    const key = 'daily:2026-11-26';
    const job: DeliveryJob = {
      kind: 'digest',
      subscriberId: reader.id,
      window: { start: '2026-11-25T08:00:00.000Z', end: '2026-11-26T08:00:00.000Z', key },
    };
    const { delivery } = stack().app;
    await delivery.deliveries.claim(reader.id, key, new Date('2026-11-26T08:05:00Z'), 10 * 60_000);

    const retried = await deliverJob(job, { ...delivery, now: () => new Date('2026-11-26T08:20:00Z') });

    expect(retried).toMatchObject({ status: 'sent' });
    expect(await emailsTo(reader)).toHaveLength(1);
  });
});
