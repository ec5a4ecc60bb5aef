import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWrite } from './batch.ts';

export type ClaimOutcome = 'claimed' | 'already-sent' | 'in-progress';

const DAY_MS = 86_400_000;
/** Records of sent stories outlive any window a digest looks back over. */
const SENT_TTL_DAYS = 120;

const subscriberPartition = (subscriberId: string) => `SUB#${subscriberId}`;

/**
 * The idempotency records behind "one email per window, never the same story twice": a claim per
 * (subscriber, window) taken before sending, and a record per (subscriber, story) sent.
 */
export class DeliveryRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Claims a window for sending. A claim left 'sending' past its lease belongs to a sender that died
   * mid-way, and may be taken over; a 'sent' window never is.
   */
  async claim(subscriberId: string, windowKey: string, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    const key = { pk: subscriberPartition(subscriberId), sk: `WINDOW#${windowKey}` };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            status: 'sending',
            claimedAt: now.toISOString(),
            leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
            expiresAt: Math.floor((now.getTime() + SENT_TTL_DAYS * DAY_MS) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': now.toISOString() },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.client.send(new GetCommand({ TableName: this.table, Key: key }));
      return current.Item?.status === 'sent' ? 'already-sent' : 'in-progress';
    }
  }

  /** Gives a claim back after a failed send, so the retry can take it. */
  async release(subscriberId: string, windowKey: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: subscriberPartition(subscriberId), sk: `WINDOW#${windowKey}` },
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Records the stories sent, then marks the window sent. */
  async markSent(
    subscriberId: string,
    windowKey: string,
    storyIds: readonly string[],
    messageId: string,
    now: Date,
  ): Promise<void> {
    const pk = subscriberPartition(subscriberId);
    const expiresAt = Math.floor((now.getTime() + SENT_TTL_DAYS * DAY_MS) / 1000);
    await batchWrite(
      this.client,
      this.table,
      [...new Set(storyIds)].map((storyId) => ({
        PutRequest: { Item: { pk, sk: `STORY#${storyId}`, windowKey, sentAt: now.toISOString(), expiresAt } },
      })),
    );
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk, sk: `WINDOW#${windowKey}` },
        UpdateExpression: 'SET #status = :sent, sentAt = :now, messageId = :messageId, storyCount = :count',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':now': now.toISOString(),
          ':messageId': messageId,
          ':count': storyIds.length,
        },
      }),
    );
  }

  /** Which of these stories this subscriber has already been sent. */
  async alreadySent(subscriberId: string, storyIds: readonly string[]): Promise<Set<string>> {
    if (storyIds.length === 0) return new Set();
    const pk = subscriberPartition(subscriberId);
    const found = await batchGet<{ sk: string }>(
      this.client,
      this.table,
      [...new Set(storyIds)].map((storyId) => ({ pk, sk: `STORY#${storyId}` })),
      'sk',
    );
    return new Set(found.map((item) => item.sk.slice('STORY#'.length)));
  }
}
