import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimOutcome,
  DeliveryLedger,
  DeliveryLedgerStore,
  DeliveryState,
  WindowRecord,
} from '#lib/delivery/ledger.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { batchGetAcross } from './batch.ts';
import { conditionally } from './conditional.ts';
import { subscriberFromItem } from './subscriber-repository.ts';

type LedgerItem = Record<string, unknown>;

const DAY_MS = 86_400_000;
/**
 * Calendar months of sent ids kept besides the current one. A digest never looks back further than 28
 * days (a weekly reader's catch-up), and the previous month plus the current one always covers that.
 */
const REMEMBERED_MONTHS = 1;
/** A ledger untouched this long (a subscriber gone quiet) expires with its TTL. */
const LEDGER_TTL_DAYS = 120;
/** Window claims are attributes `w:<key>`; sent ids sit in one string set per month, `s:<YYYY-MM>`. */
const WINDOW_PREFIX = 'w:';
const SENT_PREFIX = 's:';

export const ledgerKey = (subscriberId: string) => ({ pk: `SUB#${subscriberId}`, sk: 'LEDGER' });

// The ledger is one item, and DynamoDB caps an item at 400 KB: a story id (32 hex characters) is kept as
// its 16 bytes in base64url behind a marker, 23 characters, so a reader's two months hold 40 % more.
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
 * The idempotency record behind "one email per window, never the same story twice": one ledger item
 * per subscriber, holding a claim per window (taken before sending, atomically marked sent together
 * with the story ids it carried) and the ids sent, in one string set per month. A delivery costs one
 * read, one claim and one record, however many stories it holds.
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

  /**
   * Reads a subscriber and their ledger in one BatchGetItem across the two tables: the first step of
   * every delivery, so one round trip instead of two.
   */
  async readState(subscriberId: string): Promise<DeliveryState> {
    const found = await batchGetAcross(this.client, {
      [this.subscribersTable]: { Keys: [{ id: subscriberId }] },
      [this.table]: { Keys: [ledgerKey(subscriberId)], ConsistentRead: true },
    });
    const subscriberItem = found[this.subscribersTable]?.[0];
    return {
      subscriber: subscriberItem ? subscriberFromItem(subscriberItem as unknown as Subscriber) : undefined,
      ledger: parseLedger(found[this.table]?.[0]),
    };
  }

  async ledger(subscriberId: string): Promise<DeliveryLedgerSnapshot> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: ledgerKey(subscriberId), ConsistentRead: true }),
    );
    return parseLedger(result.Item);
  }

  /** Deletes everything recorded about sending to a subscriber, for erasure. */
  async forget(subscriberId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: ledgerKey(subscriberId) }));
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
    const record: WindowRecord = {
      status: 'sending',
      at: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
    };
    const claimed = await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ledgerKey(subscriberId),
          UpdateExpression: 'SET #window = :claim, expiresAt = :expires',
          ConditionExpression:
            'attribute_not_exists(#window) OR (#window.#status = :sending AND ' +
            '(#window.leaseUntil < :now OR #window.#at < :abandoned))',
          ExpressionAttributeNames: {
            '#window': `${WINDOW_PREFIX}${windowKey}`,
            '#status': 'status',
            '#at': 'at',
          },
          ExpressionAttributeValues: {
            ':claim': record,
            ':sending': 'sending',
            ':now': now.toISOString(),
            ':abandoned': (abandonedBefore ?? new Date(0)).toISOString(),
            ':expires': expiry(now, keepUntil),
          },
        }),
      ),
    );
    if (claimed) return 'claimed';
    const current = (await this.ledger(subscriberId)).windows.get(windowKey);
    return current?.status === 'sent' ? 'already-sent' : 'in-progress';
  }

  /** Gives a claim back after a failed send, so the retry can take it. */
  async release(subscriberId: string, windowKey: string): Promise<void> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ledgerKey(subscriberId),
          UpdateExpression: 'REMOVE #window',
          ConditionExpression: '#window.#status = :sending',
          ExpressionAttributeNames: { '#window': `${WINDOW_PREFIX}${windowKey}`, '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      ),
    );
  }

  /**
   * Marks the window sent and records the story ids it carried in one atomic update, so no crash can
   * leave one without the other; months and windows older than anything a digest could show again are
   * dropped on the way. `previous` is the ledger read before sending, to know what to drop.
   */
  async markSent(
    subscriberId: string,
    windowKey: string,
    storyIds: readonly string[],
    messageId: string,
    now: Date,
    previous?: DeliveryLedger,
    keepUntil?: Date,
  ): Promise<void> {
    const month = monthOf(now);
    const keep = new Set(recentMonths(now));
    const cutoff = new Date(now.getTime() - REMEMBERED_MONTHS * 31 * DAY_MS).toISOString();
    const names: Record<string, string> = {
      '#window': `${WINDOW_PREFIX}${windowKey}`,
      '#month': `${SENT_PREFIX}${month}`,
    };
    const removals: string[] = [];
    const snapshot = previous && 'attributes' in previous ? (previous as DeliveryLedgerSnapshot) : undefined;
    for (const attribute of snapshot?.attributes ?? []) {
      const staleMonth = attribute.startsWith(SENT_PREFIX) && !keep.has(attribute.slice(SENT_PREFIX.length));
      const staleWindow =
        attribute.startsWith(WINDOW_PREFIX) &&
        attribute !== names['#window'] &&
        (snapshot?.windowTimes.get(attribute) ?? '') < cutoff;
      if (staleMonth || staleWindow) {
        names[`#old${removals.length}`] = attribute;
        removals.push(`#old${removals.length}`);
      }
    }
    const ids = [...new Set(storyIds.map(toLedgerId))];
    if (ids.length === 0) delete names['#month'];
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: ledgerKey(subscriberId),
        UpdateExpression:
          `SET #window = :sent, expiresAt = :expires` +
          (ids.length ? ' ADD #month :ids' : '') +
          (removals.length ? ` REMOVE ${removals.join(', ')}` : ''),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':sent': { status: 'sent', at: now.toISOString(), messageId } satisfies WindowRecord,
          ':expires': expiry(now, keepUntil),
          ...(ids.length ? { ':ids': new Set(ids) } : {}),
        },
      }),
    );
  }
}

/** The raw shape of a ledger read, for pruning. */
export interface DeliveryLedgerSnapshot extends DeliveryLedger {
  attributes: readonly string[];
  windowTimes: ReadonlyMap<string, string>;
}

/** Reads a ledger item (or its absence) into windows and sent ids. */
export function parseLedger(item: LedgerItem | undefined): DeliveryLedgerSnapshot {
  const windows = new Map<string, WindowRecord>();
  const windowTimes = new Map<string, string>();
  const sent = new Set<string>();
  for (const [attribute, value] of Object.entries(item ?? {})) {
    if (attribute.startsWith(WINDOW_PREFIX)) {
      const record = value as WindowRecord;
      windows.set(attribute.slice(WINDOW_PREFIX.length), record);
      windowTimes.set(attribute, record.at);
    } else if (attribute.startsWith(SENT_PREFIX) && value instanceof Set) {
      for (const id of value as Set<string>) sent.add(fromLedgerId(id));
    }
  }
  return { windows, sent, attributes: Object.keys(item ?? {}), windowTimes };
}

function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function recentMonths(now: Date): string[] {
  const months: string[] = [];
  for (let back = 0; back <= REMEMBERED_MONTHS; back++) {
    months.push(monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))));
  }
  return months;
}

/** The ledger's TTL: months after its last write, unless the caller says when it may go. */
function expiry(now: Date, keepUntil?: Date): number {
  return Math.floor((keepUntil?.getTime() ?? now.getTime() + LEDGER_TTL_DAYS * DAY_MS) / 1000);
}
