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
   * `keepUntil` is when the window's record may be forgotten (by default, weeks after it was written).
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
  /** Marks the window sent together with the stories it carried; `keepUntil` as for `claim`. */
  markSent(
    subscriberId: string,
    windowKey: string,
    storyIds: readonly string[],
    messageId: string,
    now: Date,
    keepUntil?: Date,
  ): Promise<void>;
}
