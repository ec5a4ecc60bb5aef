import { describe, expect, it } from 'vitest';
import {
  deliveryJobSchema,
  MalformedMessageError,
  parseMessage,
  pollFeedJobSchema,
} from '#lib/jobs/messages.ts';

describe('queue messages', () => {
  it('accepts a well-formed poll job', () => {
    const job = parseMessage(
      pollFeedJobSchema,
      'm1',
      JSON.stringify({ feedId: 'a'.repeat(32), scheduledAt: '2026-11-26T10:00:00.000Z' }),
    );

    expect(job.feedId).toBe('a'.repeat(32));
  });

  it.each([
    ['not json', /m2 is malformed: the body is not JSON/],
    [
      JSON.stringify({ feedId: 'short', scheduledAt: '2026-11-26T10:00:00.000Z' }),
      /m2 is malformed: feedId: a 32-character feed id/,
    ],
    [JSON.stringify({ feedId: 'a'.repeat(32) }), /m2 is malformed: scheduledAt/],
  ])('names what is wrong with a poll job: %s', (body, message) => {
    expect(() => parseMessage(pollFeedJobSchema, 'm2', body)).toThrow(MalformedMessageError);
    expect(() => parseMessage(pollFeedJobSchema, 'm2', body)).toThrow(message);
  });

  it('tells digests from alerts and refuses an unknown kind', () => {
    const alert = parseMessage(
      deliveryJobSchema,
      'm3',
      JSON.stringify({ kind: 'alert', subscriberId: 's', key: 'instant:x', storyIds: ['a'] }),
    );

    expect(alert.kind).toBe('alert');
    expect(() =>
      parseMessage(deliveryJobSchema, 'm4', JSON.stringify({ kind: 'spam', subscriberId: 's' })),
    ).toThrow(/m4 is malformed: kind/);
  });

  it('accepts a sign-up mail job and refuses one for a mail it does not know', () => {
    const job = parseMessage(
      deliveryJobSchema,
      'm5',
      JSON.stringify({
        kind: 'sign-up-mail',
        subscriberId: 's',
        mail: 'already-subscribed',
        requestedAt: '2026-11-30T10:00:00.000Z',
      }),
    );

    expect(job).toEqual({
      kind: 'sign-up-mail',
      subscriberId: 's',
      mail: 'already-subscribed',
      requestedAt: '2026-11-30T10:00:00.000Z',
    });
    expect(() =>
      parseMessage(
        deliveryJobSchema,
        'm6',
        JSON.stringify({
          kind: 'sign-up-mail',
          subscriberId: 's',
          mail: 'welcome',
          requestedAt: '2026-11-30T10:00:00.000Z',
        }),
      ),
    ).toThrow(/m6 is malformed: mail/);
  });
});
