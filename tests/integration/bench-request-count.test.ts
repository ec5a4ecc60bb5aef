import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { countRequests } from '../../bench/aws-requests.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const stack = useLocalStack();

describe('bench request counter', () => {
  it('counts the app’s DynamoDB and SQS requests with the capacity DynamoDB reports for them', async () => {
    const { app } = stack();
    const counter = countRequests(app);
    const table = app.config.tables.feeds;

    await app.dynamodb.send(
      new PutCommand({ TableName: table, Item: { id: 'feed-1', name: 'x'.repeat(1500) } }),
    );
    const read = await app.dynamodb.send(new GetCommand({ TableName: table, Key: { id: 'feed-1' } }));
    await app.queues.pollFeeds.send([
      { id: 'a', body: { feedId: 'a', scheduledAt: '2026-11-30T08:00:00.000Z' } },
      { id: 'b', body: { feedId: 'b', scheduledAt: '2026-11-30T08:00:00.000Z' } },
    ]);

    expect(read.Item?.name).toHaveLength(1500);
    expect(counter.dynamodb.requests).toEqual({ PutItem: 1, GetItem: 1 });
    // A 1.5 KB item: two write units to put, half a read unit to read eventually consistently.
    expect(counter.dynamodb.writeUnits).toEqual({ [table]: 2 });
    expect(counter.dynamodb.readUnits).toEqual({ [table]: 0.5 });
    expect(counter.dynamodb.writeRequestsByTable).toEqual({ [table]: 1 });
    expect(counter.sqs.requests.SendMessageBatch).toBe(1);
    expect(counter.sqs.messagesSent).toBe(2);
  });
});
