import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AppContext } from '../app/context.ts';
import { enqueueAlerts } from '../delivery/enqueue-alerts.ts';
import { parseMessage, pollFeedJobSchema } from '../queue/messages.ts';
import { processRecords } from '../queue/partial-batch.ts';
import { type PollOutcome, pollFeed } from './poll-feed.ts';

/**
 * A batch of poll jobs: each feed refreshed on its own (a failing feed reports only itself), then one
 * round of instant alerts for every story the batch stored for the first time.
 */
export async function pollFeedBatch(
  event: SQSEvent,
  context: AppContext,
): Promise<{ response: SQSBatchResponse; outcomes: PollOutcome[] }> {
  const { log } = context;
  const { response, results } = await processRecords(
    event,
    async (record) => {
      const job = parseMessage(pollFeedJobSchema, record.messageId, record.body);
      const outcome = await pollFeed(job.feedId, {
        ...context,
        allowPrivateNetworks: context.config.allowPrivateNetworks,
      });
      logOutcome(outcome, context);
      return outcome;
    },
    log,
  );
  const created = results.flatMap((outcome) => (outcome.status === 'updated' ? outcome.created : []));
  if (created.length > 0) {
    // The stories are stored whatever happens here; a lost alert must not send the feeds round again.
    await enqueueAlerts({
      stories: created,
      topics: context.classifier.pack.topics,
      subscribers: context.subscribers,
      sqs: context.sqs,
      queueUrl: await context.queueUrl('digests'),
    }).catch((error: unknown) => log.error('Could not queue instant alerts', { error }));
  }
  return { response, outcomes: results };
}

function logOutcome(outcome: PollOutcome, { log }: AppContext): void {
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
