import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { App, AppOverrides } from '#lib/app/create-app.ts';
import { createLocalApp } from '#lib/app/local-app.ts';
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
  /** Sign-up mails, through the same sender from their own queue. */
  mailConsumer: QueueConsumer;
  /** Poll outcomes since the last call, which clears them: for the terminal's line per round. */
  takePolls(): PollOutcome[];
  /** Delivery outcomes (digests and alerts, not sign-up mails) since the last call, which clears them. */
  takeDeliveries(): DeliveryOutcome[];
  /** The default feeds this start added to a new registry (undefined when it added none). */
  seeded: { added: number; file: string } | undefined;
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
  /**
   * Add config/feeds.yaml (or CIPHERWATCH_FEEDS_FILE) to the registry on a data folder's first start
   * (default true); false also records that the defaults were declined, so they never arrive later.
   */
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
  const app = createLocalApp(stack.configure(config), options.overrides);
  let seeded: LocalPipeline['seeded'];
  try {
    if (options.dataDir) seeded = await seedOnFirstStart(app, options.dataDir, options.seed !== false);
    if (stack.ownsEmulators) {
      // This process holds the data folder alone, with queues that start empty: polls queued before
      // a stop were lost with them, and any digest claim still open belongs to a sender that is gone.
      const startedAt = new Date();
      const mended = stack.indexRepair;
      if (mended && mended.restored + mended.removed > 0)
        app.log.warn('The last run stopped without closing its store; its indexes were mended', mended);
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
  // Sign-up mails go through the same sender from their own queue, and belong to no round.
  const mailConsumer = consumerFor(stack.queues.signUpMails, createSendDigestsHandler(app));

  return {
    stack,
    app,
    pollConsumer,
    digestConsumer,
    mailConsumer,
    seeded,
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
      await Promise.all([pollConsumer.stop(), digestConsumer.stop(), mailConsumer.stop()]);
      app.close();
      await stack.stop();
    },
  };
}

/**
 * Adds the default feeds (config/feeds.yaml, or CIPHERWATCH_FEEDS_FILE) to the registry once per data
 * folder, and only to an empty registry: feeds a person removed stay removed, and a folder where someone
 * added their own feeds first (or declined the defaults) never receives them uninvited.
 */
async function seedOnFirstStart(
  { config, feeds }: App,
  dataDir: string,
  wanted: boolean,
): Promise<{ added: number; file: string } | undefined> {
  const marker = path.join(dataDir, 'feeds-seeded');
  if (existsSync(marker)) return undefined;
  // Written before the first feed is added: a start stopped mid-seed (a crash) finishes it next time,
  // although the registry is no longer empty.
  const inProgress = path.join(dataDir, 'feeds-seeding');
  const resuming = existsSync(inProgress);
  const file = config.feedsFile ?? defaultFeedCatalogPath;
  const catalog = wanted ? loadFeedCatalog(file) : [];
  const empty = resuming || (await feeds.list()).length === 0;
  if (wanted && empty && !resuming) await writeFile(inProgress, `${new Date().toISOString()}\n`);
  const added = wanted && empty ? await seedFeeds(feeds, catalog, new Date()) : 0;
  const why = !wanted
    ? 'declined the default feeds'
    : empty
      ? `added ${added} feeds from ${file}`
      : 'the registry already had feeds';
  await writeFile(marker, `${new Date().toISOString()} ${why}\n`);
  await rm(inProgress, { force: true });
  return added > 0 ? { added, file } : undefined;
}
