import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TABLES } from '#lib/aws/resources.ts';
import { createQueueConsumer } from '#lib/local/event-source.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

describe('local stack', () => {
  const stack = useLocalStack();

  it('writes and reads items through the DynamoDB document client', async () => {
    const db = stack().app.dynamodb;
    const item = { id: 'feed-roundtrip', url: 'https://example.org/feed', tags: ['a', 'b'], failures: 0 };

    await db.send(new PutCommand({ TableName: TABLES.feeds.name, Item: item }));
    const read = await db.send(new GetCommand({ TableName: TABLES.feeds.name, Key: { id: item.id } }));

    expect(read.Item).toEqual(item);
  });

  it('rejects a conditional put on an existing item as DynamoDB would, leaving the item unchanged', async () => {
    const db = stack().app.dynamodb;
    const key = { pk: 'STORY#conditional', sk: 'STORY' };
    await db.send(new PutCommand({ TableName: TABLES.stories.name, Item: { ...key, title: 'first' } }));

    const second = db.send(
      new PutCommand({
        TableName: TABLES.stories.name,
        Item: { ...key, title: 'second' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );

    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const read = await db.send(new GetCommand({ TableName: TABLES.stories.name, Key: key }));
    expect(read.Item?.title).toBe('first');
  });

  it('redelivers a failed record and moves it to the dead-letter queue after the max receive count', async () => {
    const sqs = stack().app.sqs;
    const maxReceiveCount = 3;
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'driver-test-dlq' }));
    const dlqArn = await queueArn(sqs, dlq.QueueUrl);
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'driver-test',
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
        },
      }),
    );
    const queueUrl = queue.QueueUrl as string;
    const bodies = Array.from({ length: 25 }, (_, i) => JSON.stringify({ n: i }));
    for (let start = 0; start < bodies.length; start += 10) {
      const chunk = bodies.slice(start, start + 10);
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((body, i) => ({ Id: String(start + i), MessageBody: body })),
        }),
      );
      expect(sent.Failed ?? []).toEqual([]);
    }

    const deliveries = new Map<number, number>();
    const handler = async (event: SQSEvent) => {
      const failures = [];
      for (const record of event.Records) {
        const { n } = JSON.parse(record.body) as { n: number };
        deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
        if (n === 7) failures.push({ itemIdentifier: record.messageId });
      }
      return { batchItemFailures: failures };
    };
    const consumer = createQueueConsumer({
      sqs,
      queueUrl,
      queueArn: await queueArn(sqs, queueUrl),
      handler,
      batchSize: 10,
    });

    for (let round = 0; round <= maxReceiveCount; round++) {
      await consumer.drain();
      await new Promise((resolve) => setTimeout(resolve, 1200));
    }

    expect(deliveries.get(7)).toBe(maxReceiveCount);
    expect([...deliveries.entries()].filter(([n, count]) => n !== 7 && count !== 1)).toEqual([]);
    expect(deliveries.size).toBe(25);
    const left = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    expect(left.Messages ?? []).toEqual([]);
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    expect((dead.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([{ n: 7 }]);
  });
});

async function queueArn(sqs: SQSClient, queueUrl: string | undefined): Promise<string> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return attributes.Attributes?.QueueArn as string;
}
