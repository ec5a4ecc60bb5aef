import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Story } from '#lib/stories/story.ts';

type StoredStory = Story & { pk?: string; sk?: string; sourceFeedIds?: unknown; expiresAt?: unknown };

/**
 * Operator reads of the stories table (`cipherwatch stories list|show`): a filtered scan, page by page.
 * Never on a delivery path: digests read stories through the topic index.
 */
export async function scanStories(
  client: DynamoDBDocumentClient,
  table: string,
  filter: { firstSeenSince?: Date; idPrefix?: string },
): Promise<Story[]> {
  const conditions = ['sk = :story'];
  const values: Record<string, unknown> = { ':story': 'STORY' };
  if (filter.firstSeenSince) {
    conditions.push('firstSeenAt >= :since');
    values[':since'] = filter.firstSeenSince.toISOString();
  }
  if (filter.idPrefix) {
    conditions.push('begins_with(id, :prefix)');
    values[':prefix'] = filter.idPrefix;
  }
  const stories: Story[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (page.Items ?? []) as StoredStory[]) {
      const { pk: _pk, sk: _sk, sourceFeedIds: _ids, expiresAt: _ttl, ...story } = item;
      stories.push(story);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return stories;
}
