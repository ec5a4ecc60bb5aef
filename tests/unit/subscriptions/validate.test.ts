import { describe, expect, it } from 'vitest';
import { parseSubscriberInput, SubscriberInputError, subscriberIdFor } from '#lib/subscriptions/validate.ts';

const TOPICS = ['encryption', 'surveillance'];

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof SubscriberInputError) return error.field;
    throw error;
  }
  return undefined;
}

describe('parseSubscriberInput', () => {
  it('normalizes a complete daily subscription', () => {
    const input = {
      email: '  Reader@Example.ORG ',
      topics: ['encryption', 'surveillance', 'encryption'],
      frequency: 'daily',
      timeZone: 'Europe/London',
      deliveryHour: 7,
      filters: { minScore: 0.6, includeKeywords: [' Home Office '], excludeKeywords: [] },
    };

    const parsed = parseSubscriberInput(input, TOPICS);

    expect(parsed).toEqual({
      email: 'reader@example.org',
      topics: ['encryption', 'surveillance'],
      frequency: 'daily',
      timeZone: 'Europe/London',
      deliveryHour: 7,
      filters: { minScore: 0.6, includeKeywords: ['home office'] },
    });
  });

  it('defaults a weekly subscription to Monday', () => {
    const parsed = parseSubscriberInput(
      { email: 'a@example.org', topics: ['encryption'], frequency: 'weekly' },
      TOPICS,
    );

    expect(parsed.deliveryWeekday).toBe(1);
  });

  it('drops the weekday from a daily subscription', () => {
    const parsed = parseSubscriberInput(
      { email: 'a@example.org', topics: ['encryption'], frequency: 'daily', deliveryWeekday: 3 },
      TOPICS,
    );

    expect(parsed.deliveryWeekday).toBeUndefined();
  });

  it('accepts an hour sent as a form string', () => {
    const parsed = parseSubscriberInput(
      { email: 'a@example.org', topics: ['encryption'], deliveryHour: '18' },
      TOPICS,
    );

    expect(parsed.deliveryHour).toBe(18);
  });

  it.each([
    { name: 'a malformed email', input: { email: 'not-an-email', topics: ['encryption'] }, field: 'email' },
    { name: 'a missing email', input: { topics: ['encryption'] }, field: 'email' },
    { name: 'no topics', input: { email: 'a@example.org', topics: [] }, field: 'topics' },
    { name: 'an unknown topic', input: { email: 'a@example.org', topics: ['astrology'] }, field: 'topics' },
    {
      name: 'an unknown frequency',
      input: { email: 'a@example.org', topics: ['encryption'], frequency: 'hourly' },
      field: 'frequency',
    },
    {
      name: 'an unknown zone',
      input: { email: 'a@example.org', topics: ['encryption'], timeZone: 'Mars/Base' },
      field: 'timeZone',
    },
    {
      name: 'hour 24',
      input: { email: 'a@example.org', topics: ['encryption'], deliveryHour: 24 },
      field: 'deliveryHour',
    },
    {
      name: 'weekday 7',
      input: { email: 'a@example.org', topics: ['encryption'], frequency: 'weekly', deliveryWeekday: 7 },
      field: 'deliveryWeekday',
    },
    {
      name: 'a score above 1',
      input: { email: 'a@example.org', topics: ['encryption'], filters: { minScore: 2 } },
      field: 'filters.minScore',
    },
  ])('rejects $name, naming the field', ({ input, field }) => {
    expect(fieldOf(() => parseSubscriberInput(input, TOPICS))).toBe(field);
  });

  it('puts the field and the reason in the message', () => {
    expect(() => parseSubscriberInput({ email: 'a@example.org', topics: ['astrology'] }, TOPICS)).toThrow(
      'topics: unknown topic "astrology"',
    );
  });
});

describe('subscriberIdFor', () => {
  it('gives the same 32-character id for the same address in any case or spacing', () => {
    expect(subscriberIdFor(' Reader@Example.org ')).toBe(subscriberIdFor('reader@example.org'));
    expect(subscriberIdFor('reader@example.org')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives different ids for different addresses', () => {
    expect(subscriberIdFor('a@example.org')).not.toBe(subscriberIdFor('b@example.org'));
  });
});
