/**
 * The one definition of Cipherwatch's tables and queues. The CDK stacks and the local stack both read
 * these, so a key, an index or a redrive setting cannot drift between AWS and a laptop.
 */

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Logical id, also the key of `TABLES`. */
  id: TableId;
  /** Physical name locally; on AWS the CDK lets CloudFormation name it and passes the name in the environment. */
  name: string;
  /** Environment variable carrying the physical name to the functions. */
  envVar: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  globalIndexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  ttlAttribute?: string;
}

export interface QueueDefinition {
  id: QueueId;
  name: string;
  envVar: string;
  /** Seconds a received message stays invisible; must exceed the consumer's timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Messages handed to one consumer invocation. */
  batchSize: number;
  /** Seconds the consumer may run on one batch (the Lambda timeout); the visibility timeout is at least six times this. */
  consumerTimeoutSeconds: number;
  /** Seconds a dead letter is kept for an operator to inspect. */
  deadLetterRetentionSeconds: number;
}

export type TableId = 'feeds' | 'stories' | 'subscribers' | 'deliveries' | 'limits' | 'feedback';
export type QueueId = 'pollFeeds' | 'digests' | 'signUpMails' | 'sesEvents';

const string = (name: string): KeyDefinition => ({ name, type: 'S' });

export const TABLES: Readonly<Record<TableId, TableDefinition>> = {
  feeds: {
    id: 'feeds',
    name: 'cipherwatch-feeds',
    envVar: 'FEEDS_TABLE',
    partitionKey: string('id'),
    // Sparse: only enabled feeds carry `pollBucket`, so "which feeds are due" is one query. The sort key
    // is `<nextPollAt>#<id>`: unique, so pages never split between equal times.
    globalIndexes: [{ name: 'byNextPoll', partitionKey: string('pollBucket'), sortKey: string('pollSlot') }],
  },
  stories: {
    id: 'stories',
    name: 'cipherwatch-stories',
    envVar: 'STORIES_TABLE',
    // Story items (STORY#id / STORY) and topic index items (TOPIC#topic#day / publishedAt#id) share the table.
    partitionKey: string('pk'),
    sortKey: string('sk'),
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  subscribers: {
    id: 'subscribers',
    name: 'cipherwatch-subscribers',
    envVar: 'SUBSCRIBERS_TABLE',
    partitionKey: string('id'),
    // The id is a hash of the lower-cased email, so "look up by email" is a GetItem, not an index.
    globalIndexes: [
      // Sparse: only active subscribers carry `scheduleBucket` ('scheduled' or 'instant'), so "whose
      // digest is due" and "who wants instant alerts" are single queries. The sort key is
      // `<nextDigestAt>#<id>`: unique, so pages never split between the many readers due at 08:00.
      { name: 'byNextDigest', partitionKey: string('scheduleBucket'), sortKey: string('digestSlot') },
    ],
    // Only pending sign-ups carry `expiresAt`: an address nobody confirmed is forgotten after 7 days.
    ttlAttribute: 'expiresAt',
  },
  deliveries: {
    id: 'deliveries',
    name: 'cipherwatch-deliveries',
    envVar: 'DELIVERIES_TABLE',
    // SUB#id / WINDOW#key: one item per email (digest window, alert batch, sign-up mail), its claim, then
    // the stories it carried; SUB#id / LEDGER is the single ledger item of earlier releases, still read.
    partitionKey: string('pk'),
    sortKey: string('sk'),
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  limits: {
    id: 'limits',
    name: 'cipherwatch-limits',
    envVar: 'LIMITS_TABLE',
    // Counters for abuse limits (sign-ups per client, confirmation mails per address), shared by every
    // Lambda instance; each expires with its window.
    partitionKey: string('id'),
    globalIndexes: [],
    ttlAttribute: 'expiresAt',
  },
  feedback: {
    id: 'feedback',
    name: 'cipherwatch-feedback',
    envVar: 'FEEDBACK_TABLE',
    // subscriberId / <storyId>#<topicId>: one "not relevant" per reader, story and topic; a reader's
    // erasure is one query.
    partitionKey: string('subscriberId'),
    sortKey: string('sk'),
    globalIndexes: [],
  },
};

export const QUEUES: Readonly<Record<QueueId, QueueDefinition>> = {
  pollFeeds: {
    id: 'pollFeeds',
    name: 'cipherwatch-poll-feeds',
    envVar: 'POLL_FEEDS_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 3,
    batchSize: 5,
    // Five feeds fetched side by side, each within its 15-second deadline, then stored.
    consumerTimeoutSeconds: 30,
    deadLetterRetentionSeconds: 14 * 24 * 3600,
  },
  digests: {
    id: 'digests',
    name: 'cipherwatch-digests',
    envVar: 'DIGESTS_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    consumerTimeoutSeconds: 30,
    deadLetterRetentionSeconds: 14 * 24 * 3600,
  },
  // Sign-up mails (the confirmation, "you are already subscribed"), for the digest sender: a queue of
  // their own, so someone signing up during the morning round is not queued behind every digest.
  signUpMails: {
    id: 'signUpMails',
    name: 'cipherwatch-sign-up-mails',
    envVar: 'SIGN_UP_MAILS_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    consumerTimeoutSeconds: 30,
    deadLetterRetentionSeconds: 14 * 24 * 3600,
  },
  // SES bounce and complaint events (configuration set -> EventBridge -> this queue) that suppress readers.
  sesEvents: {
    id: 'sesEvents',
    name: 'cipherwatch-ses-events',
    envVar: 'SES_EVENTS_QUEUE_URL',
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    batchSize: 10,
    consumerTimeoutSeconds: 20,
    deadLetterRetentionSeconds: 14 * 24 * 3600,
  },
};

/** The dead-letter queue's name for a queue. */
export function deadLetterQueueName(queue: QueueDefinition): string {
  return `${queue.name}-dlq`;
}
