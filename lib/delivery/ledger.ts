import type { Subscriber } from '#lib/subscriptions/subscriber.ts';

export type ClaimOutcome = 'claimed' | 'already-sent' | 'in-progress';

export interface WindowRecord {
  status: 'sending' | 'sent';
  /** ISO UTC: when the claim was taken, or when the email went. */
  at: string;
  /** ISO UTC: a 'sending' claim older than this belongs to a sender that died. */
  leaseUntil?: string;
  messageId?: string;
}

/** What has been sent to one subscriber: the idempotency record of every window and story. */
export interface DeliveryLedger {
  windows: ReadonlyMap<string, WindowRecord>;
  /** Story (and cluster) ids sent in the remembered months. */
  sent: ReadonlySet<string>;
}

/** Everything a delivery needs to know before composing: who the reader is and what they were sent. */
export interface DeliveryState {
  subscriber: Subscriber | undefined;
  ledger: DeliveryLedger;
}

/**
 * The delivery ledger as the domain uses it: read the state, claim a window before sending, give the
 * claim back if sending failed, and mark it sent together with the stories it carried.
 */
export interface DeliveryLedgerStore {
  /** The subscriber and their ledger, read together. */
  readState(subscriberId: string): Promise<DeliveryState>;
  /** The ledger alone (a preview shows what would be new). */
  ledger(subscriberId: string): Promise<DeliveryLedger>;
  /**
   * Claims a window for sending. A claim left 'sending' past its lease, or taken before
   * `abandonedBefore` (when the caller knows every earlier sender is gone), may be taken over.
   * `keepUntil` is when the whole ledger may be forgotten (by default, months after its last write).
   */
  claim(
    subscriberId: string,
    windowKey: string,
    now: Date,
    leaseMs: number,
    abandonedBefore?: Date,
    keepUntil?: Date,
  ): Promise<ClaimOutcome>;
  release(subscriberId: string, windowKey: string): Promise<void>;
  /**
   * `previous` is the ledger read before sending, so the store can prune what it no longer needs;
   * `keepUntil` as for `claim`.
   */
  markSent(
    subscriberId: string,
    windowKey: string,
    storyIds: readonly string[],
    messageId: string,
    now: Date,
    previous?: DeliveryLedger,
    keepUntil?: Date,
  ): Promise<void>;
}
