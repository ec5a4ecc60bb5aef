import { describe, expect, it } from 'vitest';
import {
  type DeliveryFeedback,
  decideSuppression,
  SOFT_BOUNCE_WINDOW_DAYS,
} from '#lib/delivery/suppression.ts';

const DAY = 86_400_000;
const soft = (feedbackId: string, at: string): DeliveryFeedback => ({
  kind: 'soft-bounce',
  email: 'reader@example.net',
  feedbackId,
  at,
  detail: 'Transient/MailboxFull',
});

describe('decideSuppression', () => {
  it('suppresses at once on a hard bounce or a complaint', () => {
    const state = { status: 'active' as const, softBounces: [] };

    expect(
      decideSuppression(state, { ...soft('a', '2026-11-20T08:00:00Z'), kind: 'hard-bounce' }),
    ).toMatchObject({
      action: 'suppress',
    });
    expect(
      decideSuppression(state, { ...soft('b', '2026-11-20T08:00:00Z'), kind: 'complaint' }),
    ).toMatchObject({
      action: 'suppress',
    });
  });

  it('leaves an already suppressed reader alone', () => {
    const state = { status: 'suppressed' as const, softBounces: [] };

    expect(decideSuppression(state, { ...soft('a', '2026-11-20T08:00:00Z'), kind: 'complaint' })).toEqual({
      action: 'none',
      why: 'already suppressed',
    });
  });

  it('forgets soft bounces older than the window, so an old full mailbox does not count', () => {
    const now = Date.parse('2026-11-20T08:00:00Z');
    const old = new Date(now - (SOFT_BOUNCE_WINDOW_DAYS + 1) * DAY).toISOString();
    const state = {
      status: 'active' as const,
      softBounces: [
        { feedbackId: 'old', at: old },
        { feedbackId: 'recent', at: new Date(now - DAY).toISOString() },
      ],
    };

    const decision = decideSuppression(state, soft('new', new Date(now).toISOString()));

    expect(decision).toEqual({
      action: 'record-soft-bounce',
      softBounces: [
        { feedbackId: 'recent', at: new Date(now - DAY).toISOString() },
        { feedbackId: 'new', at: new Date(now).toISOString() },
      ],
    });
  });

  it('suppresses on the third soft bounce within the window', () => {
    const state = {
      status: 'active' as const,
      softBounces: [
        { feedbackId: 'one', at: '2026-11-18T08:00:00.000Z' },
        { feedbackId: 'two', at: '2026-11-19T08:00:00.000Z' },
      ],
    };

    expect(decideSuppression(state, soft('three', '2026-11-20T08:00:00.000Z'))).toMatchObject({
      action: 'suppress',
    });
  });
});
