import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '#lib/log.ts';

/** The shape of every SQS-triggered handler: Lambda's, and the local event-source driver's. */
export type SqsHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * Handles each record on its own with Powertools' batch processor and reports only the failed ones,
 * so one bad message never sends its neighbours round again (ReportBatchItemFailures). Returns what
 * each successful record produced, for metrics and the local round summaries.
 */
export async function processSqsBatch<T>(
  event: SQSEvent,
  context: Context | undefined,
  log: Log,
  handleRecord: (record: SQSRecord) => Promise<T>,
): Promise<{ response: SQSBatchResponse; outcomes: T[] }> {
  const outcomes: T[] = [];
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      try {
        const outcome = await handleRecord(record);
        outcomes.push(outcome);
        return outcome;
      } catch (error) {
        log.error('Message failed; it will be retried, then moved to the dead-letter queue', {
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error,
        });
        throw error;
      }
    },
    // A processor holds one batch's state, so each invocation gets its own.
    new BatchProcessor(EventType.SQS),
    // Every record failing is still a partial response: the queue retries each, then dead-letters it.
    { throwOnFullBatchFailure: false, ...(context ? { context } : {}) },
  );
  return { response, outcomes };
}
