import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getAppContext } from '../lib/app/context.ts';
import { enqueueAlerts } from '../lib/delivery/enqueue-alerts.ts';
import { type PollOutcome, pollFeed } from '../lib/ingest/poll-feed.ts';
import { parseMessage, pollFeedJobSchema } from '../lib/queue/messages.ts';
import { processRecords } from '../lib/queue/partial-batch.ts';

/** SQS poll-feeds: refresh each feed on its own, then queue instant alerts for what was new. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return (await pollBatch(event)).response;
}

/** The handler's work, with each feed's outcome for the local runner's summary line. */
export async function pollBatch(
  event: SQSEvent,
): Promise<{ response: SQSBatchResponse; outcomes: PollOutcome[] }> {
  const context = getAppContext();
  const { log } = context;
  const { response, results } = await processRecords(
    event,
    async (record) => {
      const job = parseMessage(pollFeedJobSchema, record.messageId, record.body);
      const outcome = await pollFeed(job.feedId, {
        ...context,
        allowPrivateNetworks: context.config.allowPrivateNetworks,
      });
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
        });
      }
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
