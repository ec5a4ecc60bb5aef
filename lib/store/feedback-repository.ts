import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from './batch.ts';
import { queryAll, scanAll } from './paging.ts';

/** A reader's "not relevant" on one story in one topic, with enough of the story to learn from it. */
export interface FeedbackRecord {
  subscriberId: string;
  storyId: string;
  /** The topic the reader says the story does not belong to. */
  topicId: string;
  title: string;
  summary: string;
  /** Every topic the classifier gave the story when the reader saw it. */
  storyTopics: string[];
  /** ISO UTC. */
  recordedAt: string;
}

type FeedbackItem = FeedbackRecord & { sk: string };

const sortKey = (storyId: string, topicId: string) => `${storyId}#${topicId}`;

/** Readers' feedback on stories: one item per reader, story and topic, so a repeated press counts once. */
export class FeedbackRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records feedback; recording the same reader, story and topic again keeps one item. */
  async record(feedback: FeedbackRecord): Promise<void> {
    const item: FeedbackItem = { ...feedback, sk: sortKey(feedback.storyId, feedback.topicId) };
    await this.client.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  /** Every feedback item, for the operator's export; never on a request path. */
  async listAll(): Promise<FeedbackRecord[]> {
    const items = await scanAll<FeedbackItem>(this.client, this.table);
    return items.map(fromItem).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  }

  async listForSubscriber(subscriberId: string): Promise<FeedbackRecord[]> {
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

function fromItem(item: FeedbackItem): FeedbackRecord {
  const { sk: _sk, ...record } = item;
  return record;
}
