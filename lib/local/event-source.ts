import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { SqsHandler } from '#lib/handlers/sqs-batch.ts';
import type { Log } from '#lib/log.ts';

export interface QueueConsumerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  batchSize: number;
  /** Long-poll wait; short in tests so stopping is quick. */
  waitTimeSeconds?: number;
  log?: Log;
  /** Called after each batch, for progress lines and tests. */
  onBatch?: (summary: { received: number; failed: number }) => void;
}

export interface QueueConsumer {
  /** Receives and handles batches until the queue is empty once; for one-shot CLI rounds and tests. */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Plays Lambda's SQS event-source mapping on a laptop: receive a batch, hand the handler the same
 * SQSEvent Lambda would, delete what succeeded, and leave reported failures to reappear after the
 * visibility timeout — so the queue's own redrive policy moves poison messages to the dead-letter queue.
 */
export function createQueueConsumer(options: QueueConsumerOptions): QueueConsumer {
  const { sqs, queueUrl, handler, batchSize } = options;
  let running = false;
  let loop: Promise<void> | undefined;
  let abort = new AbortController();

  async function handleOnce(waitTimeSeconds: number): Promise<number> {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(batchSize, 10),
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return 0;

    const records = messages.map((message) => toRecord(message, options.queueArn));
    let failedIds: Set<string>;
    try {
      const response = await handler({ Records: records });
      failedIds = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      // Like Lambda: a handler that throws fails the whole batch.
      options.log?.error('Queue handler failed the whole batch', { queue: queueUrl, error });
      failedIds = new Set(records.map((record) => record.messageId));
    }
    const succeeded = messages.filter((message) => message.MessageId && !failedIds.has(message.MessageId));
    if (succeeded.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: succeeded.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
    options.onBatch?.({ received: messages.length, failed: failedIds.size });
    return messages.length;
  }

  return {
    async drain() {
      let total = 0;
      for (;;) {
        const handled = await handleOnce(0);
        if (handled === 0) return total;
        total += handled;
      }
    },
    start() {
      if (running) return;
      running = true;
      abort = new AbortController();
      loop = (async () => {
        while (running) {
          try {
            await handleOnce(options.waitTimeSeconds ?? 2);
          } catch (error) {
            if (!running) break;
            options.log?.warn('Could not receive from the queue; retrying in a second', {
              queue: queueUrl,
              error,
            });
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      })();
    },
    async stop() {
      running = false;
      abort.abort();
      await loop;
    },
  };
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}
