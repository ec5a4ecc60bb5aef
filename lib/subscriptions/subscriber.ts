export const FREQUENCIES = ['instant', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'paused', 'unsubscribed', 'suppressed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** Optional narrowing a subscriber applies on top of their topics. */
export interface SubscriberFilters {
  minScore?: number | undefined;
  includeKeywords?: string[] | undefined;
  excludeKeywords?: string[] | undefined;
}

/** A person or team receiving digests. */
export interface Subscriber {
  /** Stable id (hash of the lower-cased email), used in tokens and delivery records. */
  id: string;
  email: string;
  topics: string[];
  frequency: Frequency;
  /** IANA time zone, e.g. Europe/London. */
  timeZone: string;
  /** Local hour of delivery, 0–23 (daily and weekly). */
  deliveryHour: number;
  /** Local weekday of delivery for weekly digests, 0 = Sunday … 6 = Saturday. */
  deliveryWeekday?: number | undefined;
  filters?: SubscriberFilters | undefined;
  status: SubscriberStatus;
  createdAt: string;
  /** End (ISO) of the last window a digest was sent for. */
  lastWindowEnd?: string | undefined;
}

/** What instant alerts need to know of a reader: who, and which topics (never their address). */
export type InstantReader = Pick<Subscriber, 'id' | 'topics'>;
