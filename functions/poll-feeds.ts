import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getAppContext } from '#lib/app/context.ts';
import { pollFeedBatch } from '#lib/ingest/poll-batch.ts';
import type { PollOutcome } from '#lib/ingest/poll-feed.ts';

/** SQS poll-feeds: refresh each feed on its own, then queue instant alerts for what was new. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return (await pollBatch(event)).response;
}

/** The handler's work, with each feed's outcome for the local runner's summary line. */
export function pollBatch(event: SQSEvent): Promise<{ response: SQSBatchResponse; outcomes: PollOutcome[] }> {
  return pollFeedBatch(event, getAppContext());
}
