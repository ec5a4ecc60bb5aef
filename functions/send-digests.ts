import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getAppContext } from '../lib/app/context.ts';
import { loadDeliveryDependencies } from '../lib/app/delivery-context.ts';
import { type DeliveryOutcome, deliverJob } from '../lib/delivery/deliver.ts';
import { deliveryJobSchema, parseMessage } from '../lib/queue/messages.ts';
import { processRecords } from '../lib/queue/partial-batch.ts';

/** SQS digests: compose, send and record each digest or alert on its own. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return (await sendBatch(event)).response;
}

/** The handler's work, with each job's outcome for the local runner's summary line. */
export async function sendBatch(
  event: SQSEvent,
): Promise<{ response: SQSBatchResponse; outcomes: DeliveryOutcome[] }> {
  const { log } = getAppContext();
  const dependencies = await loadDeliveryDependencies();
  const { response, results } = await processRecords(
    event,
    async (record) => {
      const job = parseMessage(deliveryJobSchema, record.messageId, record.body);
      const outcome = await deliverJob(job, dependencies);
      log.info(outcome.status === 'sent' ? 'Digest sent' : 'Digest not sent', { ...outcome });
      return outcome;
    },
    log,
  );
  return { response, outcomes: results };
}
