import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { type DeliveryLedgerSnapshot, ledgerKey, parseLedger } from './delivery-repository.ts';
import { subscriberFromItem } from './subscriber-repository.ts';

/** Everything a delivery needs to know before composing: who the reader is and what they were sent. */
export interface DeliveryState {
  subscriber: Subscriber | undefined;
  ledger: DeliveryLedgerSnapshot;
}

/**
 * Reads a subscriber and their delivery ledger in one BatchGetItem across the two tables: the first
 * step of every delivery, so one round trip instead of two.
 */
export class DeliveryStateReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { subscribers: string; deliveries: string },
  ) {}

  async read(subscriberId: string): Promise<DeliveryState> {
    const { subscribers, deliveries } = this.tables;
    let request: NonNullable<ConstructorParameters<typeof BatchGetCommand>[0]['RequestItems']> = {
      [subscribers]: { Keys: [{ id: subscriberId }] },
      [deliveries]: { Keys: [ledgerKey(subscriberId)], ConsistentRead: true },
    };
    const found: Record<string, Record<string, unknown>[]> = { [subscribers]: [], [deliveries]: [] };
    // BatchGetItem may hand keys back unprocessed under load; ask again until both are answered.
    for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
      if (attempt >= 5)
        throw new Error(`DynamoDB left the state of subscriber ${subscriberId} unread; try again.`);
      const result = await this.client.send(new BatchGetCommand({ RequestItems: request }));
      for (const [table, items] of Object.entries(result.Responses ?? {})) found[table]?.push(...items);
      request = (result.UnprocessedKeys ?? {}) as typeof request;
    }
    const subscriberItem = found[subscribers]?.[0];
    return {
      subscriber: subscriberItem ? subscriberFromItem(subscriberItem as unknown as Subscriber) : undefined,
      ledger: parseLedger(found[deliveries]?.[0]),
    };
  }
}
