import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunk } from '#lib/batches.ts';
import type { JobQueue, OutgoingJob, QueueResult } from '#lib/jobs/job-queue.ts';
import { backoffDelay, sleep } from '#lib/retry.ts';

/**
 * A job queue on SQS: 10 messages per SendMessageBatch call, entries SQS failed retried with backoff.
 * The queue URL is resolved on first use, so building the queue costs no request.
 */
export class SqsJobQueue<T> implements JobQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: () => Promise<string>,
  ) {}

  async send(jobs: readonly OutgoingJob<T>[]): Promise<QueueResult> {
    const queueUrl = await this.queueUrl();
    const sent: string[] = [];
    const failed: QueueResult['failed'] = [];
    for (const group of chunk(jobs, 10)) {
      const byEntryId = new Map(group.map((job, index) => [String(index), job]));
      let pending = [...byEntryId.keys()];
      for (let attempt = 0; pending.length > 0 && attempt < 4; attempt++) {
        if (attempt > 0) await sleep(backoffDelay(attempt, 100));
        const result = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: pending.map((entryId) => ({
              Id: entryId,
              MessageBody: JSON.stringify(byEntryId.get(entryId)?.body),
            })),
          }),
        );
        for (const ok of result.Successful ?? []) {
          const job = ok.Id ? byEntryId.get(ok.Id) : undefined;
          if (job) sent.push(job.id);
        }
        const retry: string[] = [];
        for (const failure of result.Failed ?? []) {
          const job = failure.Id ? byEntryId.get(failure.Id) : undefined;
          if (!job || !failure.Id) continue;
          if (failure.SenderFault || attempt === 3)
            failed.push({ id: job.id, reason: failure.Message ?? 'refused' });
          else retry.push(failure.Id);
        }
        pending = retry;
      }
    }
    return { sent, failed };
  }
}
