import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { backoffDelay, chunk, sleep } from '#lib/store/retry.ts';

export interface OutgoingMessage {
  /** Unique within one call; used to report which messages failed. */
  id: string;
  body: unknown;
}

/**
 * Sends messages 10 per SendMessageBatch call, retrying entries SQS failed with backoff. Returns which
 * ids were sent and which never went (with SQS's reason), so a caller acts only on what was queued.
 */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
): Promise<{ sent: string[]; failed: { id: string; reason: string }[] }> {
  const sent: string[] = [];
  const failed: { id: string; reason: string }[] = [];
  for (const group of chunk(messages, 10)) {
    const byEntryId = new Map(group.map((message, index) => [String(index), message]));
    let pending = [...byEntryId.keys()];
    for (let attempt = 0; pending.length > 0 && attempt < 4; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(attempt, 100));
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: pending.map((entryId) => ({
            Id: entryId,
            MessageBody: JSON.stringify(byEntryId.get(entryId)?.body),
          })),
        }),
      );
      for (const ok of result.Successful ?? []) {
        const message = ok.Id ? byEntryId.get(ok.Id) : undefined;
        if (message) sent.push(message.id);
      }
      const retry: string[] = [];
      for (const failure of result.Failed ?? []) {
        const message = failure.Id ? byEntryId.get(failure.Id) : undefined;
        if (!message || !failure.Id) continue;
        if (failure.SenderFault || attempt === 3)
          failed.push({ id: message.id, reason: failure.Message ?? 'refused' });
        else retry.push(failure.Id);
      }
      pending = retry;
    }
  }
  return { sent, failed };
}
