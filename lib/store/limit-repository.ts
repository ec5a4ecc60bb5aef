import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionally } from './conditional.ts';

/** "At most `max` within `withinMs`": one rule of a rolling limit. */
export interface RollingRule {
  max: number;
  withinMs: number;
}

interface LogItem {
  id: string;
  /** ISO UTC times of the events still inside the longest rule's span. */
  at: string[];
  version: number;
  expiresAt: number;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * Abuse limits kept in DynamoDB, so they hold across every Lambda instance: fixed-window counters
 * (sign-ups per client) and rolling event logs (confirmation mails per address). Items expire by TTL
 * once their window has passed.
 */
export class LimitRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Counts one hit against `key` in the current fixed window; false (and nothing counted) when the
   * window already holds `limit` hits.
   */
  hit(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: `${key}#${windowStart}` },
          UpdateExpression: 'ADD hits :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expires': seconds(windowStart + windowMs),
          },
        }),
      ),
    );
  }

  /**
   * Records one event against `key` if every rule still allows it (e.g. one per 15 minutes and three
   * per day); false, and nothing recorded, when a rule refuses or a concurrent writer got there first.
   */
  async takeRolling(key: string, rules: readonly RollingRule[], now: Date): Promise<boolean> {
    const span = Math.max(...rules.map((rule) => rule.withinMs));
    const current = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { id: key }, ConsistentRead: true }),
    );
    const item = current.Item as LogItem | undefined;
    const recent = (item?.at ?? []).filter((at) => now.getTime() - Date.parse(at) < span);
    const allowed = rules.every(
      (rule) => recent.filter((at) => now.getTime() - Date.parse(at) < rule.withinMs).length < rule.max,
    );
    if (!allowed) return false;
    const next: LogItem = {
      id: key,
      at: [...recent, now.toISOString()],
      version: (item?.version ?? 0) + 1,
      expiresAt: seconds(now.getTime() + span),
    };
    return conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: next,
          ConditionExpression: item ? 'version = :version' : 'attribute_not_exists(id)',
          ...(item ? { ExpressionAttributeValues: { ':version': item.version } } : {}),
        }),
      ),
    );
  }

  /** Forgets a rolling log, for erasure. */
  async forget(key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { id: key } }));
  }
}
