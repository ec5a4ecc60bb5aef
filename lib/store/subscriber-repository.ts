import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BounceState, BounceStore, SoftBounce } from '#lib/delivery/suppression.ts';
import type { InstantReader, Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { SubscriberStore } from '#lib/subscriptions/subscriber-store.ts';
import { conditionally } from './conditional.ts';
import { queryAll, scanAll } from './paging.ts';

type ScheduleBucket = 'scheduled' | 'instant';
type SubscriberItem = Subscriber & {
  /** Epoch seconds; only pending sign-ups carry it, so unconfirmed addresses expire. */
  expiresAt?: number;
  scheduleBucket?: ScheduleBucket;
  nextDigestAt?: string;
  digestSlot?: string;
  softBounces?: SoftBounce[];
  bounceRevision?: number;
  suppressedAt?: string;
  suppressedReason?: string;
};

/** The index sort key: the next digest time, made unique by the subscriber id. */
const digestSlot = (nextDigestAt: string, id: string) => `${nextDigestAt}#${id}`;

/** Instant subscribers sit in the index under one constant sort key. */
const INSTANT_SORT_KEY = 'instant';

/** Subscribers, keyed by the hash of their email; due digests and instant readers found by index query. */
export class SubscriberRepository implements SubscriberStore, BounceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a new subscriber; false when the email is already subscribed. */
  create(subscriber: Subscriber, nextDigestAt: string | undefined): Promise<boolean> {
    return conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(subscriber, nextDigestAt),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    );
  }

  /**
   * Writes a subscriber's whole record (sign-up, confirm, settings, pause, unsubscribe), placed in the
   * schedule index when active. `expiresAt` (epoch seconds) makes the item expire, for pending sign-ups;
   * `mustExist` refuses to create one (an operator's update of someone not subscribed). False when refused.
   */
  replace(
    subscriber: Subscriber,
    nextDigestAt: string | undefined,
    options: { expiresAt?: number; mustExist?: boolean } = {},
  ): Promise<boolean> {
    const item = toItem(subscriber, nextDigestAt);
    return conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: options.expiresAt === undefined ? item : { ...item, expiresAt: options.expiresAt },
          ...(options.mustExist ? { ConditionExpression: 'attribute_exists(id)' } : {}),
        }),
      ),
    );
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.table, Key: { id } }));
    return result.Item ? subscriberFromItem(result.Item as SubscriberItem) : undefined;
  }

  /** Every subscriber, for the operator's list; never on a delivery path. */
  async list(): Promise<Subscriber[]> {
    const items = await scanAll<SubscriberItem>(this.client, this.table);
    return items.map(subscriberFromItem).sort((a, b) => a.email.localeCompare(b.email));
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: { id }, ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }

  /** Active daily and weekly subscribers whose next digest time has passed. */
  async findDue(now: Date): Promise<Subscriber[]> {
    // '~' sorts after every `<time>#<id>` slot of that time, so "due by now" includes now.
    return this.queryBucket('scheduled', `${now.toISOString()}~`);
  }

  /**
   * Active subscribers who want instant alerts: only their ids and topics, so the poller (which calls
   * this) is allowed to read those attributes of the index and nothing else (see the pipeline stack).
   */
  async listInstant(): Promise<InstantReader[]> {
    return queryAll<InstantReader>(this.client, {
      TableName: this.table,
      IndexName: 'byNextDigest',
      KeyConditionExpression: 'scheduleBucket = :bucket AND digestSlot <= :upTo',
      ExpressionAttributeValues: { ':bucket': 'instant', ':upTo': `${INSTANT_SORT_KEY}~` },
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: 'id, topics',
    });
  }

  async bounceState(id: string): Promise<(BounceState & { revision: number }) | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { id },
        ProjectionExpression: '#status, softBounces, bounceRevision',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    const item = result.Item as Pick<SubscriberItem, 'status' | 'softBounces' | 'bounceRevision'> | undefined;
    if (!item) return undefined;
    return { status: item.status, softBounces: item.softBounces ?? [], revision: item.bounceRevision ?? 0 };
  }

  /** Suppressed readers leave the schedule index, so no digest or alert is queued for them again. */
  suppress(id: string, reason: string, at: string): Promise<boolean> {
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          ConditionExpression: 'attribute_exists(id) AND #status <> :suppressed',
          UpdateExpression:
            'SET #status = :suppressed, suppressedAt = :at, suppressedReason = :reason ' +
            'REMOVE scheduleBucket, digestSlot, nextDigestAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':suppressed': 'suppressed', ':at': at, ':reason': reason },
        }),
      ),
    );
  }

  recordSoftBounces(id: string, softBounces: readonly SoftBounce[], revision: number): Promise<boolean> {
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          ConditionExpression:
            revision === 0
              ? 'attribute_exists(id) AND attribute_not_exists(bounceRevision)'
              : 'bounceRevision = :revision',
          UpdateExpression: 'SET softBounces = :bounces, bounceRevision = :next',
          ExpressionAttributeValues: {
            ':bounces': softBounces,
            ':next': revision + 1,
            ...(revision === 0 ? {} : { ':revision': revision }),
          },
        }),
      ),
    );
  }

  /** Moves a subscriber's next digest time (and last window) on; never backwards. */
  async scheduleNext(id: string, nextDigestAt: string, windowEnd: string | undefined): Promise<void> {
    // Unsubscribed or removed meanwhile (no schedule bucket): nothing to schedule.
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          ConditionExpression: windowEnd
            ? 'attribute_exists(scheduleBucket) AND (attribute_not_exists(lastWindowEnd) OR lastWindowEnd < :end)'
            : 'attribute_exists(scheduleBucket) AND (attribute_not_exists(nextDigestAt) OR nextDigestAt < :next)',
          UpdateExpression: windowEnd
            ? 'SET nextDigestAt = :next, digestSlot = :slot, lastWindowEnd = :end'
            : 'SET nextDigestAt = :next, digestSlot = :slot',
          ExpressionAttributeValues: {
            ':next': nextDigestAt,
            ':slot': digestSlot(nextDigestAt, id),
            ...(windowEnd ? { ':end': windowEnd } : {}),
          },
        }),
      ),
    );
  }

  private async queryBucket(bucket: ScheduleBucket, upTo: string): Promise<Subscriber[]> {
    const items = await queryAll<SubscriberItem>(this.client, {
      TableName: this.table,
      IndexName: 'byNextDigest',
      KeyConditionExpression: 'scheduleBucket = :bucket AND digestSlot <= :upTo',
      ExpressionAttributeValues: { ':bucket': bucket, ':upTo': upTo },
    });
    return items.map(subscriberFromItem);
  }
}

function toItem(subscriber: Subscriber, nextDigestAt: string | undefined): SubscriberItem {
  if (subscriber.status !== 'active') return { ...subscriber };
  if (subscriber.frequency === 'instant') {
    return {
      ...subscriber,
      scheduleBucket: 'instant',
      digestSlot: digestSlot(INSTANT_SORT_KEY, subscriber.id),
    };
  }
  return nextDigestAt
    ? {
        ...subscriber,
        scheduleBucket: 'scheduled',
        nextDigestAt,
        digestSlot: digestSlot(nextDigestAt, subscriber.id),
      }
    : { ...subscriber };
}

/** A stored subscriber item without its index attributes. */
export function subscriberFromItem(item: SubscriberItem): Subscriber {
  const {
    scheduleBucket: _bucket,
    nextDigestAt: _next,
    digestSlot: _slot,
    expiresAt: _expires,
    softBounces: _softBounces,
    bounceRevision: _revision,
    suppressedAt: _suppressedAt,
    suppressedReason: _suppressedReason,
    ...subscriber
  } = item;
  return subscriber;
}
