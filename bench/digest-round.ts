import { pathToFileURL } from 'node:url';
import { createApp } from '#lib/app/create-app.ts';
import { parseConfig } from '#lib/config.ts';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import type { Mailer } from '#lib/delivery/mailer.ts';
import { scheduleDigests } from '#lib/delivery/schedule-digests.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import { createQueueConsumer } from '#lib/local/event-source.ts';
import { startLocalStack } from '#lib/local/stack.ts';
import type { Story } from '#lib/stories/story.ts';
import type { StoryStore } from '#lib/stories/story-store.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';

const TOPICS = ['encryption', 'surveillance', 'security-services', 'platform-regulation'];
// All at UTC+0 in November, so one round finds every reader due whatever their zone is called.
const ZONES = ['UTC', 'Europe/London', 'Africa/Abidjan', 'Atlantic/Reykjavik'];
const ROUND_AT = new Date('2026-11-26T08:05:00.000Z');
const STORIES_PER_TOPIC = 75;

/** A mailer that renders to nothing: the bench measures Cipherwatch, not a mail server. */
const discardMailer: Mailer = {
  kind: 'outbox',
  send: async ({ idempotencyKey }) => ({ messageId: `<${idempotencyKey}@bench>` }),
  close: () => {},
};

/**
 * One digest round on the local stack: subscribers due at 08:00 UTC+0, the hourly scheduler, the
 * digests queue and the real delivery path (topic index, claims, records), with mail discarded.
 * Reports digests per second and how many story queries the round made, for two audience sizes.
 */
export async function benchDigestRound(sizes: readonly number[] = [1_000, 5_000]): Promise<void> {
  // Built from its own settings, never the shell's: the bench never reaches a real account.
  const config = parseConfig({
    CIPHERWATCH_LOG_LEVEL: 'error',
    CIPHERWATCH_TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
  });
  for (const size of sizes) {
    const stack = await startLocalStack();
    const context = createApp(stack.configure(config), { mailer: discardMailer });
    try {
      await seedStories(context.stories);
      const topicIds = context.classifier.pack.topics.map((topic) => topic.id);
      for (let i = 0; i < size; i++) {
        await addSubscriber(
          {
            email: `reader${i}@bench.example`,
            topics: TOPICS.filter((_, t) => (i >> t) & 1 || t === i % 4),
            timeZone: ZONES[i % ZONES.length],
            deliveryHour: 8,
          },
          { subscribers: context.subscribers, topicIds, now: new Date('2026-11-25T12:00:00.000Z') },
        );
      }
      context.delivery.now = () => ROUND_AT;
      const outcomes: DeliveryOutcome[] = [];
      const consumer = createQueueConsumer({
        sqs: context.sqs,
        queueUrl: stack.queues.digests.url,
        queueArn: stack.queues.digests.arn,
        batchSize: 10,
        handler: createSendDigestsHandler(context, (handled) => outcomes.push(...handled)),
      });

      const started = performance.now();
      await scheduleDigests({
        subscribers: context.subscribers,
        queue: context.queues.digests,
        log: context.log,
        now: ROUND_AT,
      });
      const scheduledSeconds = (performance.now() - started) / 1000;
      // Lambda runs several consumers at once; four local ones share this one process.
      await Promise.all([consumer.drain(), consumer.drain(), consumer.drain(), consumer.drain()]);
      const seconds = (performance.now() - started) / 1000;
      const sent = outcomes.filter((o) => o.status === 'sent').length;
      console.log(
        `digest round (local stack): ${size.toLocaleString('en-GB')} subscribers over 4 topics → ` +
          `${sent.toLocaleString('en-GB')} digests in ${seconds.toFixed(1)} s = ${Math.round(sent / seconds)} digests/s ` +
          `(target ≥ 200); ${context.delivery.reader.queries} story queries (target: independent of subscribers); ` +
          `scheduling ${scheduledSeconds.toFixed(1)} s of it`,
      );
    } finally {
      context.close();
      await stack.stop();
    }
  }
}

async function seedStories(repository: StoryStore): Promise<void> {
  const stories: Story[] = [];
  for (const [t, topic] of TOPICS.entries()) {
    for (let i = 0; i < STORIES_PER_TOPIC; i++) {
      const seen = new Date(ROUND_AT.getTime() - (i + 1) * 17 * 60_000 - t * 60_000).toISOString();
      const id = `${topic}-${i}`;
      stories.push({
        id,
        canonicalUrl: `https://bench.example/${id}`,
        link: `https://bench.example/${id}`,
        title: `Story ${i} on ${topic}: ministers and regulators clash over new powers (${t})`,
        summary: 'A summary of the kind a feed gives, long enough to be realistic for rendering.',
        publishedAt: seen,
        firstSeenAt: seen,
        sources: [{ feedId: 'bench', feedName: 'Bench Wire', link: `https://bench.example/${id}` }],
        topics: [
          { id: topic, score: 0.5 + (i % 50) / 100, evidence: [{ phrase: topic, sentence: 'A sentence.' }] },
        ],
        clusterId: id,
      });
    }
  }
  await repository.save(stories, 'bench');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchDigestRound();
