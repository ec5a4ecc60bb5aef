import type { Feed } from './feed.ts';
import type { FeedStateChange } from './feed-state.ts';

/** The feed registry as the domain uses it (`lib/store/` implements it on DynamoDB). */
export interface FeedStore {
  /** Adds a feed unless one with the same id exists; false when it already did. */
  add(feed: Feed): Promise<boolean>;
  get(id: string): Promise<Feed | undefined>;
  /** Every feed, for the operator's list; polling never calls this. */
  list(): Promise<Feed[]>;
  /** Enabled feeds whose next poll time has passed, oldest first. */
  findDue(now: Date, limit?: number): Promise<Feed[]>;
  /** Pushes a queued feed's next poll past a lease, unless it was polled meanwhile. */
  deferNextPoll(id: string, now: Date, until: Date): Promise<void>;
  remove(id: string): Promise<boolean>;
  /** Turns polling on (due now) or off (with the reason); false for an unknown feed. */
  setEnabled(id: string, enabled: boolean, reason: string | undefined, now: Date): Promise<boolean>;
  /** Makes due now every feed queued for a poll that never happened (a local queue lost with its process). */
  requeueAbandoned(now: Date): Promise<number>;
  /** Records a poll's outcome: validators, failures, next poll time. */
  recordPoll(id: string, change: FeedStateChange): Promise<void>;
}
