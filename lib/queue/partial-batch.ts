import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Log } from '#lib/log.ts';

/**
 * Handles each record on its own and reports only the failed ones, so one bad message never sends
 * its neighbours round again (Lambda's ReportBatchItemFailures).
 */
export async function processRecords<T>(
  event: SQSEvent,
  handleRecord: (record: SQSRecord) => Promise<T>,
  log: Log,
): Promise<{ response: SQSBatchResponse; results: T[] }> {
  const settled = await Promise.allSettled(event.Records.map((record) => handleRecord(record)));
  const results: T[] = [];
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  settled.forEach((outcome, index) => {
    const record = event.Records[index] as SQSRecord;
    if (outcome.status === 'fulfilled') {
      results.push(outcome.value);
      return;
    }
    log.error('Message failed; it will be retried, then moved to the dead-letter queue', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: outcome.reason,
    });
    batchItemFailures.push({ itemIdentifier: record.messageId });
  });
  return { response: { batchItemFailures }, results };
}
