import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type App, type AppOverrides, createApp } from '#lib/app/create-app.ts';
import type { Config } from '#lib/config.ts';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import { defaultFeedCatalogPath, loadFeedCatalog } from '#lib/feeds/feed-catalog.ts';
import { seedFeeds } from '#lib/feeds/seed-feeds.ts';
import { createPollFeedsHandler } from '#lib/handlers/poll-feeds.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import type { SqsHandler } from '#lib/handlers/sqs-batch.ts';
import type { PollOutcome } from '#lib/ingest/poll-feed.ts';
import type { LocalQueue } from './bootstrap.ts';
import { createQueueConsumer, type QueueConsumer } from './event-source.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.ts';

export interface LocalPipeline {
  stack: LocalStack;
  /** The application wired to this stack: repositories, queues, mailer. */
  app: App;
  pollConsumer: QueueConsumer;
  digestConsumer: QueueConsumer;
  /** Poll outcomes since the last call, which clears them: for the terminal's line per round. */
  takePolls(): PollOutcome[];
  /** Delivery outcomes (digests and alerts) since the last call, which clears them. */
  takeDeliveries(): DeliveryOutcome[];
  /** How many outcomes are waiting to be taken. */
  pending(): { polls: number; deliveries: number };
  stop(): Promise<void>;
}

/**
 * The whole pipeline in one process: the local AWS stack, the feeds seeded on first start, and the
 * two queue consumers driving the same handlers Lambda runs. Schedules are the caller's (timers for
 * `start`, explicit rounds for `demo` and `poll --all`).
 */
export interface LocalPipelineOptions extends LocalStackOptions {
  /** Add config/feeds.yaml to the registry on a data folder's first start (default true). */
  seed?: boolean;
  /** Called after each poll batch, for progress bars. */
  onPollBatch?: (outcomes: readonly PollOutcome[]) => void;
  /** Parts of the app to supply instead of building them (a quiet log, a test mailer). */
  overrides?: AppOverrides;
}

export async function startLocalPipeline(
  config: Config,
  options: LocalPipelineOptions,
): Promise<LocalPipeline> {
  const stack = await startLocalStack({ aws: config.aws, ...options });
  const app = createApp(stack.configure(config), options.overrides);
  try {
    if (options.seed !== false && options.dataDir) await seedOnFirstStart(app, options.dataDir);
    if (stack.ownsEmulators) {
      // This process holds the data folder alone, with queues that start empty: polls queued before
      // a stop were lost with them, and any digest claim still open belongs to a sender that is gone.
      const startedAt = new Date();
      await app.feeds.requeueAbandoned(startedAt);
      app.delivery.claimsAbandonedBefore = startedAt;
    }
  } catch (error) {
    app.close();
    await stack.stop();
    throw error;
  }

  let polls: PollOutcome[] = [];
  let deliveries: DeliveryOutcome[] = [];
  // Each queue drives the same handler Lambda runs; what it did is tallied for the terminal.
  const consumerFor = (queue: LocalQueue, handler: SqsHandler) =>
    createQueueConsumer({
      sqs: app.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: queue.definition.batchSize,
      log: app.log,
      handler,
    });
  const pollConsumer = consumerFor(
    stack.queues.pollFeeds,
    createPollFeedsHandler(app, (outcomes) => {
      polls.push(...outcomes);
      options.onPollBatch?.(outcomes);
    }),
  );
  const digestConsumer = consumerFor(
    stack.queues.digests,
    createSendDigestsHandler(app, (outcomes) => {
      deliveries.push(...outcomes);
    }),
  );

  return {
    stack,
    app,
    pollConsumer,
    digestConsumer,
    takePolls() {
      const taken = polls;
      polls = [];
      return taken;
    },
    takeDeliveries() {
      const taken = deliveries;
      deliveries = [];
      return taken;
    },
    pending() {
      return { polls: polls.length, deliveries: deliveries.length };
    },
    async stop() {
      await Promise.all([pollConsumer.stop(), digestConsumer.stop()]);
      app.close();
      await stack.stop();
    },
  };
}

/**
 * Adds the default feeds (config/feeds.yaml, or CIPHERWATCH_FEEDS_FILE) to the registry once per data
 * folder, so feeds a person removed stay removed.
 */
async function seedOnFirstStart({ config, feeds }: App, dataDir: string): Promise<void> {
  const marker = path.join(dataDir, 'feeds-seeded');
  if (existsSync(marker)) return;
  const file = config.feedsFile ?? defaultFeedCatalogPath;
  const added = await seedFeeds(feeds, loadFeedCatalog(file), new Date());
  await writeFile(marker, `${new Date().toISOString()} added ${added} feeds from ${file}\n`);
}
