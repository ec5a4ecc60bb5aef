import { parseConfig } from '#lib/config.ts';
import type { Mailer } from '#lib/delivery/mailer.ts';
import { scheduleDigests } from '#lib/delivery/schedule-digests.ts';
import { startLocalPipeline } from '#lib/local/pipeline.ts';
import type { Story } from '#lib/stories/story.ts';
import type { StoryStore } from '#lib/stories/story-store.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import { countRequests, tallyFigures, usagePer } from './aws-requests.ts';
import {
  type Figure,
  inParallel,
  progress,
  round,
  type ScenarioOptions,
  type ScenarioResult,
  scaled,
} from './scenario.ts';

const SIZES = [5_000, 10_000];
const LEDGER_READERS = 1_000;
const STORIES = 2_000;
const TOPICS = ['encryption', 'surveillance', 'security-services', 'platform-regulation'];
// All at UTC+0 in November, so one round finds every reader due whatever their zone is called.
const ZONES = ['UTC', 'Europe/London', 'Africa/Abidjan', 'Atlantic/Reykjavik'];
const FIRST_ROUND_AT = new Date('2026-11-26T08:05:00.000Z');
const DAY_MS = 86_400_000;
const WINDOW_MS = 24 * 3_600_000;
/** Local stand-ins for Lambda's concurrent digest senders, in this one process. */
const CONSUMERS = 4;
const TARGET_PER_S = 200;

let sends = 0;
/** A mailer that renders to nothing: the bench measures Cipherwatch, not a mail server. */
const discardMailer: Mailer = {
  kind: 'outbox',
  send: async ({ idempotencyKey }) => {
    sends++;
    return { messageId: `<${idempotencyKey}@bench>` };
  },
  close: () => {},
};

/**
 * Rounds on one local stack, a morning apart: each adds readers up to its size (readers from earlier
 * rounds were moved on to the next morning by their digest, so they are due again).
 */
async function digestRounds(sizes: readonly number[], storyCount: number): Promise<Record<string, Figure>[]> {
  // Built from its own settings, never the shell's: the bench never reaches a real account.
  const config = parseConfig({
    CIPHERWATCH_LOG_LEVEL: 'error',
    CIPHERWATCH_TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
  });
  const pipeline = await startLocalPipeline(config, { seed: false, overrides: { mailer: discardMailer } });
  const { app } = pipeline;
  try {
    const counter = countRequests(app);
    const topicIds = app.classifier.pack.topics.map((topic) => topic.id);
    const rounds: Record<string, Figure>[] = [];
    let readers = 0;
    for (const [day, size] of sizes.entries()) {
      const roundAt = new Date(FIRST_ROUND_AT.getTime() + day * DAY_MS);
      await seedStories(app.stories, storyCount, roundAt, day);
      // Added the afternoon before, so their first digest is due at this round's 08:00.
      const addedAt = new Date(roundAt.getTime() - 20 * 3_600_000);
      await inParallel(size - readers, 16, (n) => {
        const i = readers + n;
        return addSubscriber(
          {
            email: `reader${i}@bench.example`,
            topics: TOPICS.filter((_, t) => (i >> t) & 1 || t === i % 4),
            timeZone: ZONES[i % ZONES.length],
            deliveryHour: 8,
          },
          { subscribers: app.subscribers, topicIds, now: addedAt },
        );
      });
      readers = size;
      progress(
        `digest: ${size.toLocaleString('en-GB')} subscribers, ${storyCount} stories in the window; round`,
      );
      app.delivery.now = () => roundAt;
      counter.reset();
      sends = 0;
      const queriesBefore = app.delivery.reader.queries;

      const started = performance.now();
      await scheduleDigests({
        subscribers: app.subscribers,
        queue: app.queues.digests,
        log: app.log,
        now: roundAt,
      });
      const scheduledSeconds = (performance.now() - started) / 1000;
      const schedulerDynamoDb = counter.total(counter.dynamodb);
      const afterScheduling = performance.eventLoopUtilization();
      await Promise.all(Array.from({ length: CONSUMERS }, () => pipeline.digestConsumer.drain()));
      const seconds = (performance.now() - started) / 1000;
      const deliveryBusyMs = performance.eventLoopUtilization(afterScheduling).active;

      const outcomes = pipeline.takeDeliveries();
      const sent = outcomes.filter((o) => o.status === 'sent').length;
      progress(`digest: ${sent.toLocaleString('en-GB')} digests in ${seconds.toFixed(1)} s`);
      rounds.push({
        subscribers: size,
        digests_per_s: round(sent / seconds),
        story_queries: app.delivery.reader.queries - queriesBefore,
        scheduler_share: round(scheduledSeconds / seconds, 2),
        sent,
        not_sent: outcomes.length - sent,
        seconds: round(seconds, 2),
        scheduler_s: round(scheduledSeconds, 2),
        delivery_main_thread_busy_s: round(deliveryBusyMs / 1000, 2),
        ses_sends: sends,
        invocations: counter.sqs.nonEmptyReceives,
        dynamodb_requests: counter.total(counter.dynamodb),
        dynamodb_requests_scheduler: schedulerDynamoDb,
        dynamodb: tallyFigures(counter.dynamodb),
        sqs_requests: counter.total(counter.sqs),
        sqs: { ...counter.sqs.requests, messages_sent: counter.sqs.messagesSent },
        stories_read_units: round(counter.dynamodb.readUnits[config.tables.stories] ?? 0, 1),
        usage_per_digest: {
          ...usagePer(sent, counter, {
            indexedTables: [config.tables.subscribers],
            handlerCpuMs: deliveryBusyMs,
            sesSends: sends,
            storiesCreated: 0,
            logged: sent,
          }),
        },
      });
    }
    return rounds;
  } finally {
    await pipeline.stop();
  }
}

/**
 * The hourly digest round on the local stack for 5,000 and 10,000 subscribers over 4 topics with
 * 2,000 stories in the window: scheduler → digests queue → delivery (compose, render, claim, send,
 * record), mail discarded. Reports digests per second, the story queries the round made (which must
 * not grow with the audience) and the scheduler's share of the round.
 */
export async function benchDigestRound(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const stories = scaled(STORIES, options, 40);
  const sizes = SIZES.map((size) => scaled(size, options, 50));
  // Each size on a fresh stack, so the two rates differ only in the audience.
  const rounds: Record<string, Figure>[] = [];
  for (const size of sizes) rounds.push(...(await digestRounds([size], stories)));
  // The same readers two mornings running: what a day of delivery ledger costs each digest.
  const ledgerReaders = scaled(LEDGER_READERS, options, 20);
  const mornings = await digestRounds([ledgerReaders, ledgerReaders], stories);
  const perDigest = (r: Record<string, Figure> | undefined, key: string) =>
    (r?.usage_per_digest as Record<string, number> | undefined)?.[key] ?? 0;
  const [small, large] = rounds as [Record<string, Figure>, Record<string, Figure>];
  const full = options.scale === 1;
  const rate = (r: Record<string, Figure>) => Number(r.digests_per_s);
  const figures: Record<string, Figure> = {
    stories_in_window: stories,
    digests_per_s: Object.fromEntries(rounds.map((r) => [String(r.subscribers), r.digests_per_s ?? null])),
    story_queries: Object.fromEntries(rounds.map((r) => [String(r.subscribers), r.story_queries ?? null])),
    scheduler_share: Object.fromEntries(
      rounds.map((r) => [String(r.subscribers), r.scheduler_share ?? null]),
    ),
    rounds: Object.fromEntries(rounds.map((r) => [String(r.subscribers), r])),
    second_morning: {
      readers: ledgerReaders,
      digests_per_s: mornings.map((r) => r.digests_per_s ?? null),
      write_units_per_digest: mornings.map((r) => round(perDigest(r, 'dynamodb_write_units'), 1)),
      read_units_per_digest: mornings.map((r) => round(perDigest(r, 'dynamodb_read_units'), 1)),
    },
  };
  const [a, b] = sizes.map(String) as [string, string];
  return {
    key: 'digest',
    title: `digest: ${sizes.map((s) => s.toLocaleString('en-GB')).join(' and ')} subscribers over 4 topics, ${stories.toLocaleString('en-GB')} stories in the window`,
    figures,
    headline: [
      `digests_per_s.${a}`,
      `digests_per_s.${b}`,
      `story_queries.${a}`,
      `story_queries.${b}`,
      `scheduler_share.${a}`,
      `scheduler_share.${b}`,
    ],
    targets: full
      ? [
          { figure: `digests_per_s.${a}`, target: `≥ ${TARGET_PER_S}`, met: rate(small) >= TARGET_PER_S },
          { figure: `digests_per_s.${b}`, target: `≥ ${TARGET_PER_S}`, met: rate(large) >= TARGET_PER_S },
          {
            figure: `story_queries.${b}`,
            target: `= story_queries.${a}`,
            met: small.story_queries === large.story_queries,
          },
        ]
      : [],
    notes: [
      `hourly scheduler (scheduleDigests) → digests queue (fauxqs) → send-digests handler, ${CONSUMERS} local consumers, batch size 10; mail discarded`,
      'every subscriber due in the round (UTC+0 zones, 08:00); topics 1 to 4 per reader; digests_per_s counts from the scheduler start to the queue drained',
      'each size on a fresh local stack; second_morning: the same readers on two mornings running ([first, second]), to show what a day of delivery ledger costs',
    ],
    seconds: (performance.now() - started) / 1000,
  };
}

/** `count` stories on the 4 topics, spread over the 24 hours before the round's 08:00. */
async function seedStories(repository: StoryStore, count: number, roundAt: Date, day: number): Promise<void> {
  const windowEnd = roundAt.getTime() - 5 * 60_000;
  const stories: Story[] = [];
  for (let i = 0; i < count; i++) {
    const t = i % TOPICS.length;
    const topic = TOPICS[t] as string;
    const seen = new Date(windowEnd - 60_000 - Math.floor((i / count) * (WINDOW_MS - 120_000))).toISOString();
    const id = `${topic}-${day}-${i}`;
    stories.push({
      id,
      canonicalUrl: `https://bench.example/${id}`,
      link: `https://bench.example/${id}`,
      title: `Story ${i} on ${topic}: ministers and regulators clash over new powers (${day})`,
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
  for (let start = 0; start < stories.length; start += 100)
    await repository.save(stories.slice(start, start + 100), 'bench');
}
