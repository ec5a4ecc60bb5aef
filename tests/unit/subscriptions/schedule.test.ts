import { describe, expect, it } from 'vitest';
import {
  type DigestWindow,
  digestWindowDue,
  InvalidScheduleError,
  isoWeekKey,
  isValidTimeZone,
  nextDigestAt,
  owedDigestWindow,
} from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { makeSubscriber } from '../../helpers/factories.ts';

const HOUR_MS = 3_600_000;

/** Runs the hourly scheduler from `from` (inclusive) to `to` (exclusive) and collects every due window. */
function runHourly(subscriber: Subscriber, from: string, to: string): DigestWindow[] {
  const due: DigestWindow[] = [];
  for (let at = Date.parse(from); at < Date.parse(to); at += HOUR_MS) {
    const window = digestWindowDue(subscriber, new Date(at));
    if (window) due.push(window);
  }
  return due;
}

describe('digestWindowDue for daily subscribers', () => {
  const cases = [
    {
      name: 'London 08:00 on the Saturday before clocks go forward (GMT)',
      zone: 'Europe/London',
      hour: 8,
      now: '2026-03-28T08:00:00Z',
      want: { start: '2026-03-27T08:00:00.000Z', end: '2026-03-28T08:00:00.000Z', key: 'daily:2026-03-28' },
    },
    {
      name: 'London 08:00 on the day clocks go forward (BST, 23-hour window)',
      zone: 'Europe/London',
      hour: 8,
      now: '2026-03-29T07:00:00Z',
      want: { start: '2026-03-28T08:00:00.000Z', end: '2026-03-29T07:00:00.000Z', key: 'daily:2026-03-29' },
    },
    {
      name: 'London 08:00 on the day clocks go back (25-hour window)',
      zone: 'Europe/London',
      hour: 8,
      now: '2026-10-25T08:00:00Z',
      want: { start: '2026-10-24T07:00:00.000Z', end: '2026-10-25T08:00:00.000Z', key: 'daily:2026-10-25' },
    },
    {
      name: 'London 01:00, skipped when clocks go forward, goes out at the first valid instant',
      zone: 'Europe/London',
      hour: 1,
      now: '2026-03-29T01:00:00Z',
      want: { start: '2026-03-28T01:00:00.000Z', end: '2026-03-29T01:00:00.000Z', key: 'daily:2026-03-29' },
    },
    {
      name: 'London 01:00, repeated when clocks go back, goes out at its first occurrence',
      zone: 'Europe/London',
      hour: 1,
      now: '2026-10-25T00:00:00Z',
      want: { start: '2026-10-24T00:00:00.000Z', end: '2026-10-25T00:00:00.000Z', key: 'daily:2026-10-25' },
    },
    {
      name: 'New York 08:00 on the day clocks go forward',
      zone: 'America/New_York',
      hour: 8,
      now: '2026-03-08T12:00:00Z',
      want: { start: '2026-03-07T13:00:00.000Z', end: '2026-03-08T12:00:00.000Z', key: 'daily:2026-03-08' },
    },
    {
      name: 'New York 02:00, skipped when clocks go forward, goes out at 03:00 EDT',
      zone: 'America/New_York',
      hour: 2,
      now: '2026-03-08T07:00:00Z',
      want: { start: '2026-03-07T07:00:00.000Z', end: '2026-03-08T07:00:00.000Z', key: 'daily:2026-03-08' },
    },
    {
      name: 'New York 01:00, repeated when clocks go back, goes out at 01:00 EDT',
      zone: 'America/New_York',
      hour: 1,
      now: '2026-11-01T05:00:00Z',
      want: { start: '2026-10-31T05:00:00.000Z', end: '2026-11-01T05:00:00.000Z', key: 'daily:2026-11-01' },
    },
    {
      name: 'Sydney 08:00 on the day clocks go back in April (25-hour window)',
      zone: 'Australia/Sydney',
      hour: 8,
      now: '2026-04-04T22:00:00Z',
      want: { start: '2026-04-03T21:00:00.000Z', end: '2026-04-04T22:00:00.000Z', key: 'daily:2026-04-05' },
    },
    {
      name: 'Sydney 02:00, skipped when clocks go forward in October, goes out at 03:00 AEDT',
      zone: 'Australia/Sydney',
      hour: 2,
      now: '2026-10-03T16:00:00Z',
      want: { start: '2026-10-02T16:00:00.000Z', end: '2026-10-03T16:00:00.000Z', key: 'daily:2026-10-04' },
    },
    {
      name: 'Kolkata 08:00 (UTC+05:30) is found by the round at 08:30 local',
      zone: 'Asia/Kolkata',
      hour: 8,
      now: '2026-03-29T03:00:00Z',
      want: { start: '2026-03-28T02:30:00.000Z', end: '2026-03-29T02:30:00.000Z', key: 'daily:2026-03-29' },
    },
    {
      name: 'Kolkata 00:00 belongs to the local date, not the UTC one',
      zone: 'Asia/Kolkata',
      hour: 0,
      now: '2026-03-28T19:00:00Z',
      want: { start: '2026-03-27T18:30:00.000Z', end: '2026-03-28T18:30:00.000Z', key: 'daily:2026-03-29' },
    },
  ];

  it.each(cases)('$name', ({ zone, hour, now, want }) => {
    const subscriber = makeSubscriber({ timeZone: zone, deliveryHour: hour });

    const window = digestWindowDue(subscriber, new Date(now));

    expect(window).toEqual(want);
  });

  it.each([
    { zone: 'Europe/London', hour: 8, from: '2026-03-25T00:00:00Z', to: '2026-04-02T00:00:00Z' },
    { zone: 'Europe/London', hour: 1, from: '2026-10-22T00:00:00Z', to: '2026-10-29T00:00:00Z' },
    { zone: 'America/New_York', hour: 2, from: '2026-03-05T00:00:00Z', to: '2026-03-12T00:00:00Z' },
    { zone: 'America/New_York', hour: 1, from: '2026-10-29T00:00:00Z', to: '2026-11-04T00:00:00Z' },
    { zone: 'Australia/Sydney', hour: 2, from: '2026-04-02T00:00:00Z', to: '2026-04-08T00:00:00Z' },
    { zone: 'Asia/Kolkata', hour: 23, from: '2026-03-25T00:00:00Z', to: '2026-04-01T00:00:00Z' },
  ])(
    'finds exactly one contiguous window per local day in $zone at $hour:00 across a clock change',
    ({ zone, hour, from, to }) => {
      const subscriber = makeSubscriber({ timeZone: zone, deliveryHour: hour });
      const days = (Date.parse(to) - Date.parse(from)) / (24 * HOUR_MS);

      const due = runHourly(subscriber, from, to);

      expect(due).toHaveLength(days);
      expect(new Set(due.map((window) => window.key)).size).toBe(days);
      for (let i = 1; i < due.length; i++) expect(due[i]?.start).toBe(due[i - 1]?.end);
    },
  );

  it.each([
    {
      change: 'spring',
      from: '2026-03-27T00:00:00Z',
      to: '2026-03-31T00:00:00Z',
      ends: [
        '2026-03-27T08:00:00.000Z',
        '2026-03-28T08:00:00.000Z',
        '2026-03-29T07:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
      ],
    },
    {
      change: 'autumn',
      from: '2026-10-23T00:00:00Z',
      to: '2026-10-27T00:00:00Z',
      ends: [
        '2026-10-23T07:00:00.000Z',
        '2026-10-24T07:00:00.000Z',
        '2026-10-25T08:00:00.000Z',
        '2026-10-26T08:00:00.000Z',
      ],
    },
  ])(
    'sends a London 08:00 reader one digest a day at the right UTC hour around the $change change',
    ({ from, to, ends }) => {
      const subscriber = makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 });

      const due = runHourly(subscriber, from, to);

      expect(due.map((window) => window.end)).toEqual(ends);
    },
  );

  it('finds the same windows when the hourly round runs late in the hour', () => {
    const subscriber = makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 });
    const onTheHour = runHourly(subscriber, '2026-03-26T00:00:00Z', '2026-04-01T00:00:00Z');

    const late = runHourly(subscriber, '2026-03-26T00:47:00Z', '2026-04-01T00:47:00Z');

    expect(late).toEqual(onTheHour);
  });

  it('sends nothing outside the delivery hour', () => {
    const subscriber = makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 });

    const window = digestWindowDue(subscriber, new Date('2026-03-29T08:00:00Z'));

    expect(window).toBeUndefined();
  });
});

describe('digestWindowDue for weekly subscribers', () => {
  it('finds one window a week on the chosen weekday, across the spring clock change', () => {
    const subscriber = makeSubscriber({ frequency: 'weekly', deliveryWeekday: 1 });

    const due = runHourly(subscriber, '2026-03-16T00:00:00Z', '2026-04-13T00:00:00Z');

    expect(due).toEqual([
      { start: '2026-03-09T08:00:00.000Z', end: '2026-03-16T08:00:00.000Z', key: 'weekly:2026-W12' },
      { start: '2026-03-16T08:00:00.000Z', end: '2026-03-23T08:00:00.000Z', key: 'weekly:2026-W13' },
      { start: '2026-03-23T08:00:00.000Z', end: '2026-03-30T07:00:00.000Z', key: 'weekly:2026-W14' },
      { start: '2026-03-30T07:00:00.000Z', end: '2026-04-06T07:00:00.000Z', key: 'weekly:2026-W15' },
    ]);
  });

  it('defaults to Monday when no weekday is stored', () => {
    const subscriber = makeSubscriber({ frequency: 'weekly', deliveryWeekday: undefined });

    const window = digestWindowDue(subscriber, new Date('2026-03-23T08:00:00Z'));

    expect(window?.key).toBe('weekly:2026-W13');
  });
});

describe('owedDigestWindow', () => {
  const london = makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 });

  it('is the window of the latest delivery that has passed, even hours after its delivery hour', () => {
    const owed = owedDigestWindow(london, new Date('2026-11-26T15:30:00Z'));

    expect(owed).toEqual({
      start: '2026-11-25T08:00:00.000Z',
      end: '2026-11-26T08:00:00.000Z',
      key: 'daily:2026-11-26',
    });
  });

  it('is the window digestWindowDue finds within the delivery hour', () => {
    const at = new Date('2026-11-26T08:05:00Z');

    expect(owedDigestWindow(london, at)).toEqual(digestWindowDue(london, at));
  });

  it('is nothing once a digest covered the latest delivery', () => {
    const sent = { ...london, lastWindowEnd: '2026-11-26T08:00:00.000Z' };

    expect(owedDigestWindow(sent, new Date('2026-11-26T15:30:00Z'))).toBeUndefined();
  });

  it('reaches back to the last digest after missed days, as one window', () => {
    const asleep = { ...london, lastWindowEnd: '2026-11-23T08:00:00.000Z' };

    expect(owedDigestWindow(asleep, new Date('2026-11-26T15:30:00Z'))).toMatchObject({
      start: '2026-11-23T08:00:00.000Z',
      end: '2026-11-26T08:00:00.000Z',
    });
  });

  it('finds the latest weekly delivery on its weekday', () => {
    const weekly = makeSubscriber({
      frequency: 'weekly',
      timeZone: 'America/New_York',
      deliveryHour: 9,
      deliveryWeekday: 1,
    });

    // Thursday 26 November 2026: the latest Monday 09:00 in New York was 23 November, 14:00 UTC.
    expect(owedDigestWindow(weekly, new Date('2026-11-26T12:00:00Z'))?.end).toBe('2026-11-23T14:00:00.000Z');
  });
});

describe('digestWindowDue eligibility', () => {
  const now = new Date('2026-03-28T08:00:00Z');

  it.each(['pending', 'unsubscribed', 'suppressed'] as const)('never schedules a %s subscriber', (status) => {
    expect(digestWindowDue(makeSubscriber({ status }), now)).toBeUndefined();
  });

  it('never schedules instant subscribers, who are served by alerts', () => {
    expect(digestWindowDue(makeSubscriber({ frequency: 'instant' }), now)).toBeUndefined();
  });

  it('returns nothing when the last digest already covered this window', () => {
    const subscriber = makeSubscriber({ lastWindowEnd: '2026-03-28T08:00:00.000Z' });

    expect(digestWindowDue(subscriber, now)).toBeUndefined();
  });

  it('starts where the last digest ended when a round was missed', () => {
    const subscriber = makeSubscriber({ lastWindowEnd: '2026-03-26T08:00:00.000Z' });

    expect(digestWindowDue(subscriber, now)?.start).toBe('2026-03-26T08:00:00.000Z');
  });

  it('ignores a last digest older than the catch-up limit', () => {
    const subscriber = makeSubscriber({ lastWindowEnd: '2026-01-01T08:00:00.000Z' });

    expect(digestWindowDue(subscriber, now)?.start).toBe('2026-03-27T08:00:00.000Z');
  });

  it('throws InvalidScheduleError naming the subscriber for an unknown zone', () => {
    const subscriber = makeSubscriber({ id: 'sub-bad', timeZone: 'Mars/Olympus_Mons' });

    expect(() => digestWindowDue(subscriber, now)).toThrow(InvalidScheduleError);
    expect(() => digestWindowDue(subscriber, now)).toThrow(/sub-bad/);
  });
});

describe('schedule helpers', () => {
  it.each([
    { date: { year: 2026, month: 3, day: 29 }, want: '2026-W13' },
    { date: { year: 2026, month: 12, day: 31 }, want: '2026-W53' },
    { date: { year: 2027, month: 1, day: 1 }, want: '2026-W53' },
    { date: { year: 2024, month: 12, day: 30 }, want: '2025-W01' },
  ])('isoWeekKey($date) is $want', ({ date, want }) => {
    expect(isoWeekKey(date)).toBe(want);
  });

  it.each([
    ['Europe/London', true],
    ['Asia/Kolkata', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('isValidTimeZone(%j) is %s', (zone, want) => {
    expect(isValidTimeZone(zone)).toBe(want);
  });

  it('tells when the next daily digest goes out', () => {
    const subscriber = makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 });

    const next = nextDigestAt(subscriber, new Date('2026-03-28T09:00:00Z'));

    expect(next?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
});
