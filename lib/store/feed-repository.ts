import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Feed } from '#lib/feeds/feed.ts';
import type { FeedStateChange } from '#lib/feeds/feed-state.ts';
import type { FeedStore } from '#lib/feeds/feed-store.ts';
import { conditionally } from './conditional.ts';
import { queryAll, scanAll } from './paging.ts';

/** Only enabled feeds carry this partition of the sparse `byNextPoll` index. */
const POLL_BUCKET = 'enabled';

type FeedItem = Feed & {
  pollBucket?: string;
  pollSlot?: string;
  /** When the scheduler queued the feed; cleared by the poll that follows. */
  queuedAt?: string;
};

/** The index sort key: the next poll time, made unique by the feed id. */
const pollSlot = (nextPollAt: string, id: string) => `${nextPollAt}#${id}`;
/** Sorts after every `<time>#<id>` slot of that time, so "due by now" includes now. */
const slotsUpTo = (time: Date) => `${time.toISOString()}~`;

/** The feeds registry: one item per feed, keyed by the hash of its URL. */
export class FeedRepository implements FeedStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Adds a feed unless one with the same id exists; returns false when it already did. */
  add(feed: Feed): Promise<boolean> {
    return conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(feed),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    );
  }

  async get(id: string): Promise<Feed | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.table, Key: { id } }));
    return result.Item ? fromItem(result.Item as FeedItem) : undefined;
  }

  /** Every feed, for the operator's list. The registry is small; polling never calls this. */
  async list(): Promise<Feed[]> {
    const items = await scanAll<FeedItem>(this.client, this.table);
    return items.map(fromItem).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Enabled feeds whose next poll time has passed, oldest first: one query on the sparse index. */
  async findDue(now: Date, limit = 500): Promise<Feed[]> {
    const items = await queryAll<FeedItem>(
      this.client,
      {
        TableName: this.table,
        IndexName: 'byNextPoll',
        KeyConditionExpression: 'pollBucket = :bucket AND pollSlot <= :now',
        ExpressionAttributeValues: { ':bucket': POLL_BUCKET, ':now': slotsUpTo(now) },
      },
      limit,
    );
    return items.map(fromItem);
  }

  /**
   * Pushes a queued feed's next poll past `until`, so the next scheduler run does not queue it again
   * while its poll is under way; the poll itself then sets the real next time.
   */
  async deferNextPoll(id: string, now: Date, until: Date): Promise<void> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'SET nextPollAt = :until, pollSlot = :slot, queuedAt = :now',
          ConditionExpression: 'attribute_exists(id) AND nextPollAt <= :now',
          ExpressionAttributeValues: {
            ':until': until.toISOString(),
            ':slot': pollSlot(until.toISOString(), id),
            ':now': now.toISOString(),
          },
        }),
      ),
    );
  }

  /**
   * Makes due now every feed queued for a poll that never happened: for a local queue that lived in
   * memory and died with its process, so no feed waits out its lease after a restart.
   */
  async requeueAbandoned(now: Date): Promise<number> {
    const abandoned = (await scanAll<FeedItem>(this.client, this.table)).filter(
      (item) => item.queuedAt !== undefined && item.enabled,
    );
    await Promise.all(
      abandoned.map((item) =>
        conditionally(
          this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { id: item.id },
              UpdateExpression: 'SET nextPollAt = :now, pollSlot = :slot REMOVE queuedAt',
              ConditionExpression: 'queuedAt = :queued',
              ExpressionAttributeValues: {
                ':now': now.toISOString(),
                ':slot': pollSlot(now.toISOString(), item.id),
                ':queued': item.queuedAt,
              },
            }),
          ),
        ),
      ),
    );
    return abandoned.length;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: { id }, ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }

  /** Turns polling on (due now) or off (with the reason shown in `feeds list`); false for an unknown feed. */
  setEnabled(id: string, enabled: boolean, reason: string | undefined, now: Date): Promise<boolean> {
    const change = enabled
      ? {
          UpdateExpression:
            'SET enabled = :true, pollBucket = :bucket, nextPollAt = :now, pollSlot = :slot, consecutiveFailures = :zero ' +
            'REMOVE disabledReason, failingSince',
          ExpressionAttributeValues: {
            ':true': true,
            ':bucket': POLL_BUCKET,
            ':now': now.toISOString(),
            ':slot': pollSlot(now.toISOString(), id),
            ':zero': 0,
          },
        }
      : {
          UpdateExpression: 'SET enabled = :false, disabledReason = :reason REMOVE pollBucket, pollSlot',
          ExpressionAttributeValues: { ':false': false, ':reason': reason ?? 'Disabled by an operator.' },
        };
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          ConditionExpression: 'attribute_exists(id)',
          ...change,
        }),
      ),
    );
  }

  /**
   * Writes what a poll learnt. Only the state fields change, so a poll racing an operator's edit of the
   * name never loses it, and the feed must still exist (a removed feed is not resurrected).
   */
  async recordPoll(id: string, change: FeedStateChange): Promise<void> {
    const set: string[] = [];
    const remove: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    const fields = {
      ...change,
      pollBucket: change.enabled ? POLL_BUCKET : undefined,
      pollSlot: change.enabled ? pollSlot(change.nextPollAt, id) : undefined,
    };
    for (const [field, value] of Object.entries(fields)) {
      names[`#${field}`] = field;
      if (value === undefined) remove.push(`#${field}`);
      else {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    names['#queuedAt'] = 'queuedAt';
    remove.push('#queuedAt');
    const clauses = [
      set.length ? `SET ${set.join(', ')}` : '',
      remove.length ? `REMOVE ${remove.join(', ')}` : '',
    ];
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          ConditionExpression: 'attribute_exists(id)',
          UpdateExpression: clauses.filter(Boolean).join(' '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
        }),
      ),
    );
  }
}

function toItem(feed: Feed): FeedItem {
  return feed.enabled
    ? { ...feed, pollBucket: POLL_BUCKET, pollSlot: pollSlot(feed.nextPollAt, feed.id) }
    : { ...feed };
}

function fromItem(item: FeedItem): Feed {
  const { pollBucket: _bucket, pollSlot: _slot, queuedAt: _queued, ...feed } = item;
  return feed;
}
