import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pollBatch } from '../../functions/poll-feeds.ts';
import { sendBatch } from '../../functions/send-digests.ts';
import { getAppContext, resetAppContext } from '../app/context.ts';
import { resetDeliveryDependencies } from '../app/delivery-context.ts';
import type { DeliveryOutcome } from '../delivery/deliver.ts';
import { defaultFeedCatalogPath, loadFeedCatalog } from '../ingest/feed-catalog.ts';
import type { PollOutcome } from '../ingest/poll-feed.ts';
import { seedFeeds } from '../ingest/seed-feeds.ts';
import type { LocalQueue } from './bootstrap.ts';
import { createQueueConsumer, type QueueConsumer } from './event-source.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.ts';

export interface LocalPipeline {
  stack: LocalStack;
  pollConsumer: QueueConsumer;
  digestConsumer: QueueConsumer;
  /** Poll outcomes since the last call, which clears them: for the terminal's line per round. */
  takePolls(): PollOutcome[];
  /** Delivery outcomes (digests and alerts) since the last call, which clears them. */
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
}

export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const stack = await startLocalStack(options);
  resetAppContext();
  resetDeliveryDependencies();
  let context: ReturnType<typeof getAppContext>;
  let seeded: LocalPipeline['seeded'];
  try {
    context = getAppContext();
    if (options.dataDir) seeded = await seedOnFirstStart(options.dataDir, options.seed !== false);
  } catch (error) {
    await stack.stop();
    throw error;
  }

  let polls: PollOutcome[] = [];
  let deliveries: DeliveryOutcome[] = [];
  // Each queue drives the same handler Lambda runs; what it did is tallied for the terminal.
  const consumerFor = <T>(
    queue: LocalQueue,
    run: (event: SQSEvent) => Promise<{ response: SQSBatchResponse; outcomes: T[] }>,
    record: (outcomes: T[]) => void,
  ) =>
    createQueueConsumer({
      sqs: context.sqs,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: queue.definition.batchSize,
      log: context.log,
      handler: async (event) => {
        const { response, outcomes } = await run(event);
        record(outcomes);
        return response;
      },
    });
  const pollConsumer = consumerFor(stack.queues.pollFeeds, pollBatch, (outcomes) => {
    polls.push(...outcomes);
    options.onPollBatch?.(outcomes);
  });
  const digestConsumer = consumerFor(stack.queues.digests, sendBatch, (outcomes) => {
    deliveries.push(...outcomes);
  });

  return {
    stack,
    pollConsumer,
    digestConsumer,
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
      await Promise.all([pollConsumer.stop(), digestConsumer.stop()]);
      resetDeliveryDependencies();
      resetAppContext();
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
  dataDir: string,
  wanted: boolean,
): Promise<{ added: number; file: string } | undefined> {
  const marker = path.join(dataDir, 'feeds-seeded');
  if (existsSync(marker)) return undefined;
  const { config, feeds } = getAppContext();
  const file = config.feedsFile ?? defaultFeedCatalogPath;
  const catalog = wanted ? loadFeedCatalog(file) : [];
  const empty = (await feeds.list()).length === 0;
  const added = wanted && empty ? await seedFeeds(feeds, catalog, new Date()) : 0;
  const why = !wanted
    ? 'declined the default feeds'
    : empty
      ? `added ${added} feeds from ${file}`
      : 'registry already had feeds';
  await writeFile(marker, `${new Date().toISOString()} ${why}\n`);
  return added > 0 ? { added, file } : undefined;
}
