import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReaderFeedback } from '#lib/classify/reader-feedback.ts';
import { batchWrite } from './batch.ts';
import { queryAll, scanAll } from './paging.ts';

type FeedbackItem = ReaderFeedback & { sk: string };

const sortKey = (storyId: string, topicId: string) => `${storyId}#${topicId}`;

/** Readers' feedback on stories: one item per reader, story and topic, so a repeated press counts once. */
export class FeedbackRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records feedback; recording the same reader, story and topic again keeps one item. */
  async record(feedback: ReaderFeedback): Promise<void> {
    const item: FeedbackItem = { ...feedback, sk: sortKey(feedback.storyId, feedback.topicId) };
    await this.client.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  /** Every feedback item, for the operator's export; never on a request path. */
  async listAll(): Promise<ReaderFeedback[]> {
    const items = await scanAll<FeedbackItem>(this.client, this.table);
    return items.map(fromItem).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  }

  async listForSubscriber(subscriberId: string): Promise<ReaderFeedback[]> {
    const items = await queryAll<FeedbackItem>(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'subscriberId = :id',
      ExpressionAttributeValues: { ':id': subscriberId },
    });
    return items.map(fromItem);
  }

  /** Deletes a reader's feedback, for erasure. */
  async forget(subscriberId: string): Promise<void> {
    const items = await this.listForSubscriber(subscriberId);
    await batchWrite(
      this.client,
      this.table,
      items.map((item) => ({
        DeleteRequest: { Key: { subscriberId, sk: sortKey(item.storyId, item.topicId) } },
      })),
    );
  }
}

function fromItem(item: FeedbackItem): ReaderFeedback {
  const { sk: _sk, ...record } = item;
  return record;
}
