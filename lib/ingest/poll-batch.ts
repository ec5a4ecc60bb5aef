import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AppContext } from '../app/context.ts';
import { enqueueAlerts } from '../delivery/enqueue-alerts.ts';
import { parseMessage, pollFeedJobSchema } from '../queue/messages.ts';
import { processRecords } from '../queue/partial-batch.ts';
import type { Story } from '../stories/story.ts';
import { pollPolicyFor } from './feed-state.ts';
import { type PollOutcome, pollFeed } from './poll-feed.ts';

export interface PollBatchOptions {
  /**
   * Takes the batch's new stories for instant alerts instead of queueing them: `poll --all` delivers
   * its round's alerts itself, so it can say what it sent even while `cipherwatch start` consumes the queue.
   */
  alertNewStories?: (stories: Story[]) => Promise<void>;
}

/**
 * A batch of poll jobs: each feed refreshed on its own (a failing feed reports only itself), then one
 * round of instant alerts for every story the batch stored for the first time.
 */
export async function pollFeedBatch(
  event: SQSEvent,
  context: AppContext,
  options: PollBatchOptions = {},
): Promise<{ response: SQSBatchResponse; outcomes: PollOutcome[] }> {
  const { log } = context;
  const { response, results } = await processRecords(
    event,
    async (record) => {
      const job = parseMessage(pollFeedJobSchema, record.messageId, record.body);
      const outcome = await pollFeed(job.feedId, {
        ...context,
        allowPrivateNetworks: context.config.allowPrivateNetworks,
        policy: pollPolicyFor(context.config.pollIntervalMinutes),
      });
      logOutcome(outcome, context);
      return outcome;
    },
    log,
  );
  const created = results.flatMap((outcome) => (outcome.status === 'updated' ? outcome.created : []));
  if (created.length > 0 && options.alertNewStories) {
    await options.alertNewStories(created);
  } else if (created.length > 0) {
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
    log.info('Feed polled', { feed: outcome.feed.url, items: outcome.items, new: outcome.created.length });
  }
}
