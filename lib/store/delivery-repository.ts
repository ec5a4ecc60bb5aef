import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimOutcome,
  DeliveryLedger,
  DeliveryLedgerStore,
  DeliveryState,
  WindowRecord,
} from '#lib/delivery/ledger.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { batchWrite } from './batch.ts';
import { conditionally } from './conditional.ts';
import { queryAll } from './paging.ts';
import { subscriberFromItem } from './subscriber-repository.ts';

type LedgerItem = Record<string, unknown>;

const DAY_MS = 86_400_000;
/**
 * How long a window's record, and the story ids it carried, are kept: a digest never looks back further
 * than 28 days (a weekly reader's catch-up), and no queue retries a window for more than a few days.
 */
const WINDOW_TTL_DAYS = 62;

const partitionOf = (subscriberId: string) => `SUB#${subscriberId}`;
const WINDOW_SORT_PREFIX = 'WINDOW#';

/** The item recording one email to a subscriber: its claim, then its message id and the stories it carried. */
export const windowItemKey = (subscriberId: string, windowKey: string) => ({
  pk: partitionOf(subscriberId),
  sk: `${WINDOW_SORT_PREFIX}${windowKey}`,
});

/**
 * The single ledger item of earlier releases (claims as `w:<key>` attributes, sent ids in one string set
 * per month as `s:<YYYY-MM>`). It is still read, so no story goes twice across the upgrade, and expires
 * with its TTL; nothing writes it any more.
 */
const LEGACY_SORT_KEY = 'LEDGER';
export const legacyLedgerKey = (subscriberId: string) => ({
  pk: partitionOf(subscriberId),
  sk: LEGACY_SORT_KEY,
});
const LEGACY_WINDOW_PREFIX = 'w:';
const LEGACY_SENT_PREFIX = 's:';

// A story id (32 hex characters) is kept as its 16 bytes in base64url behind a marker, 23 characters:
// the ids are most of what a reader's records weigh, in storage and in every read.
const COMPACT_MARK = '~';
const hexId = /^[0-9a-f]{32}$/;
const compactId = /^~[A-Za-z0-9_-]{22}$/;

/** How a story id is stored in the ledger; ids that are not a story hash are kept as they are. */
export function toLedgerId(storyId: string): string {
  return hexId.test(storyId)
    ? `${COMPACT_MARK}${Buffer.from(storyId, 'hex').toString('base64url')}`
    : storyId;
}

/** The story id a ledger entry stands for (older ledgers hold the ids as they are). */
export function fromLedgerId(entry: string): string {
  return compactId.test(entry) ? Buffer.from(entry.slice(1), 'base64url').toString('hex') : entry;
}

/**
 * The idempotency record behind "one email per window, never the same story twice": one item per email
 * a subscriber is sent (digest window, alert batch or sign-up mail), under the subscriber's partition.
 * It is claimed before sending and marked sent, together with the story ids it carried, in one update of
 * that same item, so no crash can leave one without the other. Each delivery writes only its own small
 * item, whatever the reader was sent before (a single ledger item grew with every story, and DynamoDB caps
 * an item at 400 KB); reading a reader's ledger is one query over their partition.
 */
export class DeliveryRepository implements DeliveryLedgerStore {
  readonly table: string;
  private readonly subscribersTable: string;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    tables: { deliveries: string; subscribers: string },
  ) {
    this.table = tables.deliveries;
    this.subscribersTable = tables.subscribers;
  }

  /** Reads a subscriber and their ledger side by side: the first step of every delivery. */
  async readState(subscriberId: string): Promise<DeliveryState> {
    const [found, ledger] = await Promise.all([
      this.client.send(new GetCommand({ TableName: this.subscribersTable, Key: { id: subscriberId } })),
      this.ledger(subscriberId),
    ]);
    return {
      subscriber: found.Item ? subscriberFromItem(found.Item as unknown as Subscriber) : undefined,
      ledger,
    };
  }

  async ledger(subscriberId: string): Promise<DeliveryLedger> {
    return parseLedger(await this.items(subscriberId));
  }

  /** Deletes everything recorded about sending to a subscriber, for erasure. */
  async forget(subscriberId: string): Promise<void> {
    const keys = (await this.items(subscriberId, 'pk, sk')).map((item) => ({ pk: item.pk, sk: item.sk }));
    await batchWrite(
      this.client,
      this.table,
      keys.map((Key) => ({ DeleteRequest: { Key } })),
    );
  }

  /**
   * Claims a window for sending. A claim left 'sending' past its lease belongs to a sender that died
   * mid-way, and may be taken over; a 'sent' window never is.
   */
  async claim(
    subscriberId: string,
    windowKey: string,
    now: Date,
    leaseMs: number,
    abandonedBefore?: Date,
    keepUntil?: Date,
  ): Promise<ClaimOutcome> {
    const claimed = await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: windowItemKey(subscriberId, windowKey),
          UpdateExpression: 'SET #status = :sending, #at = :now, leaseUntil = :lease, expiresAt = :expires',
          ConditionExpression:
            'attribute_not_exists(#status) OR (#status = :sending AND (leaseUntil < :now OR #at < :abandoned))',
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':now': now.toISOString(),
            ':lease': new Date(now.getTime() + leaseMs).toISOString(),
            ':abandoned': (abandonedBefore ?? new Date(0)).toISOString(),
            ':expires': expiry(now, keepUntil),
          },
        }),
      ),
    );
    if (claimed) return 'claimed';
    const current = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: windowItemKey(subscriberId, windowKey),
        ConsistentRead: true,
      }),
    );
    return current.Item?.status === 'sent' ? 'already-sent' : 'in-progress';
  }

  /** Gives a claim back after a failed send, so the retry can take it. */
  async release(subscriberId: string, windowKey: string): Promise<void> {
    await conditionally(
      this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: windowItemKey(subscriberId, windowKey),
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      ),
    );
  }

  /** Marks the window sent and records the story ids it carried, in one update of the window's item. */
  async markSent(
    subscriberId: string,
    windowKey: string,
    storyIds: readonly string[],
    messageId: string,
    now: Date,
    keepUntil?: Date,
  ): Promise<void> {
    const ids = [...new Set(storyIds.map(toLedgerId))];
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: windowItemKey(subscriberId, windowKey),
        UpdateExpression:
          'SET #status = :sent, #at = :now, messageId = :messageId, expiresAt = :expires REMOVE leaseUntil' +
          (ids.length ? ' ADD sent :ids' : ''),
        ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':now': now.toISOString(),
          ':messageId': messageId,
          ':expires': expiry(now, keepUntil),
          ...(ids.length ? { ':ids': new Set(ids) } : {}),
        },
      }),
    );
  }

  /** Every item under the subscriber's partition, read consistently (a claim just taken must show). */
  private items(subscriberId: string, projection?: string): Promise<LedgerItem[]> {
    return queryAll<LedgerItem>(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitionOf(subscriberId) },
      ConsistentRead: true,
      ...(projection ? { ProjectionExpression: projection } : {}),
    });
  }
}

/** Reads a subscriber's ledger items (window items, and the single item of earlier releases) into one ledger. */
function parseLedger(items: readonly LedgerItem[]): DeliveryLedger {
  const windows = new Map<string, WindowRecord>();
  const sent = new Set<string>();
  const addSent = (value: unknown) => {
    if (value instanceof Set) for (const id of value as Set<string>) sent.add(fromLedgerId(id));
  };
  for (const item of items) {
    const sortKey = String(item.sk);
    if (sortKey.startsWith(WINDOW_SORT_PREFIX)) {
      const { status, at, leaseUntil, messageId } = item as unknown as WindowRecord;
      // A window item written by this release wins over the same window in the earlier single item.
      windows.set(sortKey.slice(WINDOW_SORT_PREFIX.length), {
        status,
        at,
        ...(leaseUntil === undefined ? {} : { leaseUntil }),
        ...(messageId === undefined ? {} : { messageId }),
      });
      addSent(item.sent);
    } else if (sortKey === LEGACY_SORT_KEY) {
      for (const [attribute, value] of Object.entries(item)) {
        if (attribute.startsWith(LEGACY_WINDOW_PREFIX)) {
          const windowKey = attribute.slice(LEGACY_WINDOW_PREFIX.length);
          if (!windows.has(windowKey)) windows.set(windowKey, value as WindowRecord);
        } else if (attribute.startsWith(LEGACY_SENT_PREFIX)) addSent(value);
      }
    }
  }
  return { windows, sent };
}

/** A window item's TTL: weeks after it was written, unless the caller says when it may go. */
function expiry(now: Date, keepUntil?: Date): number {
  return Math.floor((keepUntil?.getTime() ?? now.getTime() + WINDOW_TTL_DAYS * DAY_MS) / 1000);
}
