import { describe, expect, it } from 'vitest';
import { parsePublished } from '#lib/stories/normalize.ts';

const fetchedAt = new Date('2024-05-10T12:00:00Z');

describe('parsePublished', () => {
  it.each([
    ['RFC 822 with GMT', 'Tue, 07 May 2024 09:30:00 GMT', '2024-05-07T09:30:00.000Z'],
    ['RFC 822 with a numeric zone', 'Tue, 07 May 2024 09:30:00 +0200', '2024-05-07T07:30:00.000Z'],
    ['RFC 822 with a named US zone', 'Tue, 07 May 2024 09:30:00 EDT', '2024-05-07T13:30:00.000Z'],
    ['RFC 822 without weekday', '07 May 2024 09:30:00 +0000', '2024-05-07T09:30:00.000Z'],
    ['RFC 822 with one-digit day and no seconds', 'Mon, 6 May 2024 18:05 GMT', '2024-05-06T18:05:00.000Z'],
    ['RFC 822 with a two-digit year', 'Mon, 06 May 24 18:05:00 GMT', '2024-05-06T18:05:00.000Z'],
    ['RFC 822 with a full month name', 'Monday, 06 May 2024 18:05:00 GMT', '2024-05-06T18:05:00.000Z'],
    ['RFC 822 without a zone, read as UTC', 'Mon, 06 May 2024 18:05:00', '2024-05-06T18:05:00.000Z'],
    [
      'RFC 822 with an unknown zone name, read as UTC',
      'Mon, 06 May 2024 18:05:00 XYZ',
      '2024-05-06T18:05:00.000Z',
    ],
    ['RFC 822 with a colon in the zone', 'Mon, 06 May 2024 18:05:00 +05:30', '2024-05-06T12:35:00.000Z'],
    ['ISO 8601 with Z', '2024-05-07T09:30:00Z', '2024-05-07T09:30:00.000Z'],
    ['ISO 8601 with an offset', '2024-05-07T09:30:00-04:00', '2024-05-07T13:30:00.000Z'],
    ['ISO 8601 with fractions', '2024-05-07T09:30:00.123456+00:00', '2024-05-07T09:30:00.123Z'],
    ['ISO 8601 without seconds', '2024-05-07T09:30Z', '2024-05-07T09:30:00.000Z'],
    ['ISO 8601 with a space and no zone', '2024-05-07 09:30:00', '2024-05-07T09:30:00.000Z'],
    ['ISO 8601 date only', '2024-05-07', '2024-05-07T00:00:00.000Z'],
    ['ISO 8601 basic format', '20240507T093000Z', '2024-05-07T09:30:00.000Z'],
    ['ISO 8601 with a compact offset', '2024-05-07T09:30:00+0200', '2024-05-07T07:30:00.000Z'],
    ['a date with surrounding whitespace', '  2024-05-07T09:30:00Z \n', '2024-05-07T09:30:00.000Z'],
    ['other shapes that name a zone', 'May 7, 2024 09:30:00 GMT', '2024-05-07T09:30:00.000Z'],
  ])('reads %s', (_shape, value, expected) => {
    expect(parsePublished(value, fetchedAt)).toBe(expected);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['unreadable', 'yesterday-ish'],
    ['an impossible day', '2024-02-30T10:00:00Z'],
    ['an impossible month', '2024-13-01T10:00:00Z'],
    ['far in the future', 'Fri, 01 Jan 2100 00:00:00 GMT'],
    ['two days ahead', '2024-05-12T12:00:01Z'],
  ])('falls back to the fetch time when the date is %s', (_case, value) => {
    expect(parsePublished(value, fetchedAt)).toBe(fetchedAt.toISOString());
  });

  it('accepts a date slightly ahead of the fetch time (clock skew)', () => {
    expect(parsePublished('2024-05-10T15:00:00Z', fetchedAt)).toBe('2024-05-10T15:00:00.000Z');
  });
});
