import type { SubscriberStatus } from '#lib/subscriptions/subscriber.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';

/** What the mail service reported about one recipient of one message. */
export interface DeliveryFeedback {
  kind: 'hard-bounce' | 'soft-bounce' | 'complaint';
  email: string;
  /** The provider's id for this report; the same report delivered twice carries the same id. */
  feedbackId: string;
  /** When the bounce or complaint happened (ISO). */
  at: string;
  /** The provider's words, kept for the operator (e.g. "Permanent/General"). */
  detail: string;
}

/** A soft bounce remembered on the subscriber, so repeated ones can be counted. */
export interface SoftBounce {
  feedbackId: string;
  at: string;
}

/** A subscriber's standing with respect to bounces. */
export interface BounceState {
  status: SubscriberStatus;
  softBounces: readonly SoftBounce[];
}

/** Soft bounces within `SOFT_BOUNCE_WINDOW_DAYS` after which an address is suppressed. */
export const SOFT_BOUNCES_BEFORE_SUPPRESSION = 3;
/** A mailbox full for a day is not a dead one: only soft bounces this recent count. */
export const SOFT_BOUNCE_WINDOW_DAYS = 14;

export type SuppressionDecision =
  | { action: 'suppress'; reason: string }
  | { action: 'record-soft-bounce'; softBounces: SoftBounce[] }
  | { action: 'none'; why: 'already suppressed' | 'already counted' };

/**
 * What one bounce or complaint does to a subscriber. Hard bounces and complaints suppress at once;
 * soft bounces only when they repeat within the window. The decision depends only on its inputs, and
 * a report seen twice (at-least-once delivery) changes nothing the second time.
 */
export function decideSuppression(state: BounceState, feedback: DeliveryFeedback): SuppressionDecision {
  if (state.status === 'suppressed') return { action: 'none', why: 'already suppressed' };
  if (feedback.kind === 'complaint') {
    return { action: 'suppress', reason: `complaint (${feedback.detail})` };
  }
  if (feedback.kind === 'hard-bounce') {
    return { action: 'suppress', reason: `hard bounce (${feedback.detail})` };
  }
  if (state.softBounces.some((bounce) => bounce.feedbackId === feedback.feedbackId)) {
    return { action: 'none', why: 'already counted' };
  }
  const since = Date.parse(feedback.at) - SOFT_BOUNCE_WINDOW_DAYS * 86_400_000;
  const recent = [...state.softBounces, { feedbackId: feedback.feedbackId, at: feedback.at }]
    .filter((bounce) => Date.parse(bounce.at) >= since)
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-SOFT_BOUNCES_BEFORE_SUPPRESSION);
  if (recent.length >= SOFT_BOUNCES_BEFORE_SUPPRESSION) {
    return {
      action: 'suppress',
      reason: `${recent.length} soft bounces within ${SOFT_BOUNCE_WINDOW_DAYS} days (last: ${feedback.detail})`,
    };
  }
  return { action: 'record-soft-bounce', softBounces: recent };
}

/** Where bounce standing is kept; the subscriber repository implements it. */
export interface BounceStore {
  /** The subscriber's bounce standing and its revision, or undefined for an unknown subscriber. */
  bounceState(id: string): Promise<(BounceState & { revision: number }) | undefined>;
  /** Marks the subscriber suppressed; false when they already were (or are gone). */
  suppress(id: string, reason: string, at: string): Promise<boolean>;
  /** Stores the soft bounces if the standing is still at `revision`; false when it moved meanwhile. */
  recordSoftBounces(id: string, softBounces: readonly SoftBounce[], revision: number): Promise<boolean>;
}

/** Another report for the same subscriber changed their standing while this one was applied. */
export class FeedbackConflictError extends Error {
  override name = 'FeedbackConflictError';
  constructor(readonly subscriberId: string) {
    super(`bounce standing of subscriber ${subscriberId} changed while a report was applied; try again`);
  }
}

export type FeedbackOutcome =
  | { result: 'suppressed'; subscriberId: string; reason: string }
  | { result: 'soft-bounce-recorded'; subscriberId: string; softBounces: number }
  | { result: 'unchanged'; subscriberId: string; why: string }
  | { result: 'unknown-address' };

/** Attempts at applying one report when others for the same subscriber land at the same moment. */
const CONFLICT_ATTEMPTS = 3;

/**
 * Applies one bounce or complaint to the subscriber with that address, idempotently. Reports for the
 * same subscriber in one batch are handled side by side; a write that lost the race reads again.
 */
export async function applyDeliveryFeedback(
  feedback: DeliveryFeedback,
  store: BounceStore,
): Promise<FeedbackOutcome> {
  const subscriberId = subscriberIdFor(feedback.email);
  for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt += 1) {
    const state = await store.bounceState(subscriberId);
    if (!state) return { result: 'unknown-address' };
    const decision = decideSuppression(state, feedback);
    switch (decision.action) {
      case 'none':
        return { result: 'unchanged', subscriberId, why: decision.why };
      case 'suppress':
        return (await store.suppress(subscriberId, decision.reason, feedback.at))
          ? { result: 'suppressed', subscriberId, reason: decision.reason }
          : { result: 'unchanged', subscriberId, why: 'already suppressed' };
      case 'record-soft-bounce':
        if (await store.recordSoftBounces(subscriberId, decision.softBounces, state.revision)) {
          return { result: 'soft-bounce-recorded', subscriberId, softBounces: decision.softBounces.length };
        }
    }
  }
  throw new FeedbackConflictError(subscriberId);
}
