import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { alertJobs, enqueueAlerts } from '#lib/alerts/enqueue-alerts.ts';
import type { App } from '#lib/app/create-app.ts';
import type { MetricsSink } from '#lib/aws/metrics.ts';
import { type DeliveryOutcome, deliverJob } from '#lib/delivery/deliver.ts';
import { type PollOutcome, pollFeed } from '#lib/ingest/poll-feed.ts';
import { summarizePolls } from '#lib/ingest/poll-summary.ts';
import { parseMessage, pollFeedJobSchema } from '#lib/jobs/messages.ts';
import type { Log } from '#lib/log.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** Who else wants a batch's outcomes: the local runner's round summaries. */
export type OutcomeObserver<T> = (outcomes: readonly T[]) => void;

/** One instant alert sent (or not) straight away by a handler told to deliver rather than queue. */
export interface AlertDelivery {
  subscriberId: string;
  outcome: DeliveryOutcome | { status: 'failed'; error: unknown };
}

export interface PollFeedsHandlerOptions {
  /**
   * Delivers the batch's instant alerts now, through the same delivery path the digests queue drives
   * (claim, send, ledger), and reports each, instead of queueing them: `poll --all` runs its round
   * itself, so it can say what it sent even while a running `cipherwatch start` consumes the queue.
   */
  deliverAlertsNow?: (deliveries: AlertDelivery[]) => void;
}

/**
 * SQS poll-feeds: each feed refreshed on its own (a failing feed reports only itself), then one round of
 * instant alerts for every story the batch stored for the first time.
 */
export function createPollFeedsHandler(
  app: App,
  observe?: OutcomeObserver<PollOutcome>,
  options: PollFeedsHandlerOptions = {},
) {
  const { log, metrics } = app;
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) log.addContext?.(context);
    const { response, outcomes } = await processSqsBatch(event, context, log, async (record) => {
      const job = parseMessage(pollFeedJobSchema, record.messageId, record.body);
      const outcome = await pollFeed(job.feedId, {
        ...app,
        allowPrivateNetworks: app.config.allowPrivateNetworks,
        maxItemsPerFeed: app.config.maxItemsPerFeed,
        pollIntervalMinutes: app.config.pollIntervalMinutes,
      });
      logOutcome(outcome, log);
      return outcome;
    });
    const created = outcomes.flatMap((outcome) => (outcome.status === 'updated' ? outcome.created : []));
    if (created.length > 0 && options.deliverAlertsNow) {
      options.deliverAlertsNow(await deliverAlerts(app, created));
    } else if (created.length > 0) {
      // The stories are stored whatever happens here; a lost alert must not send the feeds round again.
      await enqueueAlerts({
        stories: created,
        topics: app.classifier.pack.topics,
        subscribers: app.subscribers,
        queue: app.queues.digests,
      }).catch((error: unknown) => log.error('Could not queue instant alerts', { error }));
    }
    countPolls(outcomes, metrics);
    observe?.(outcomes);
    return response;
  };
}

/** Sends a batch's instant alerts one by one; one failure never stops the rest. */
async function deliverAlerts(
  app: App,
  stories: Extract<PollOutcome, { status: 'updated' }>['created'],
): Promise<AlertDelivery[]> {
  const jobs = await alertJobs({ stories, topics: app.classifier.pack.topics, subscribers: app.subscribers });
  const deliveries: AlertDelivery[] = [];
  for (const job of jobs) {
    try {
      deliveries.push({ subscriberId: job.subscriberId, outcome: await deliverJob(job, app.delivery) });
    } catch (error) {
      app.log.error('Could not send an instant alert', { subscriberId: job.subscriberId, error });
      deliveries.push({ subscriberId: job.subscriberId, outcome: { status: 'failed', error } });
    }
  }
  return deliveries;
}

function countPolls(outcomes: readonly PollOutcome[], metrics: MetricsSink): void {
  const summary = summarizePolls(outcomes);
  metrics.count('FeedsPolled', summary.polled - summary.skipped);
  metrics.count('FeedsFailed', summary.failed);
  metrics.count('FeedsNotModified', summary.notModified);
  metrics.count('StoriesNew', summary.newStories);
  for (const [topic, count] of summary.relevantByTopic) metrics.count('StoriesRelevant', count, { topic });
  metrics.flush();
}

function logOutcome(outcome: PollOutcome, log: Log): void {
  if (outcome.status === 'failed') {
    log.warn('Feed poll failed', {
      feed: outcome.feed.url,
      error: outcome.error,
      nextPollAt: outcome.feed.nextPollAt,
    });
  } else if (outcome.status === 'updated') {
    log.info('Feed polled', {
      feed: outcome.feed.url,
      items: outcome.items,
      new: outcome.created.length,
      // Items too large to store, left out so the rest of the feed is stored.
      skipped: outcome.skipped,
    });
  }
}
