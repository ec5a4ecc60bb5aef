import type { InstantReader, Subscriber } from './subscriber.ts';

/** Subscribers as the domain uses them (`lib/store/` implements it on DynamoDB). */
export interface SubscriberStore {
  /** Stores a new subscriber; false when the email is already subscribed. */
  create(subscriber: Subscriber, nextDigestAt: string | undefined): Promise<boolean>;
  get(id: string): Promise<Subscriber | undefined>;
  /** Every subscriber, for the operator's list; never on a delivery path. */
  list(): Promise<Subscriber[]>;
  remove(id: string): Promise<boolean>;
  /** Active daily and weekly subscribers whose next digest time has passed. */
  findDue(now: Date): Promise<Subscriber[]>;
  /** Active subscribers who want instant alerts: ids and topics only, never their addresses. */
  listInstant(): Promise<InstantReader[]>;
  /**
   * Moves a subscriber's next digest time on, and their `lastWindowEnd` to `windowEnd` once a digest
   * for that window is recorded; never backwards, so a late, older job cannot undo a newer one.
   */
  scheduleNext(id: string, nextDigestAt: string, windowEnd: string | undefined): Promise<void>;
}
