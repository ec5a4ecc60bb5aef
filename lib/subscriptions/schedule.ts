import type { Subscriber } from './subscriber.ts';
import { firstInstantAtOrAfter, isValidTimeZone, localDateTimeAt } from './zoned-time.ts';

export { isValidTimeZone } from './zoned-time.ts';

/** The span of stories one digest covers. ISO UTC bounds, start inclusive, end exclusive. */
export interface DigestWindow {
  start: string;
  end: string;
  /** Stable per subscriber and delivery: `daily:2026-03-29` or `weekly:2026-W13` (local calendar). */
  key: string;
}

/** A calendar date in the subscriber's zone. */
interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A subscriber's schedule cannot be evaluated (bad zone, hour or weekday in stored data). */
export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError';
  constructor(
    readonly subscriberId: string,
    detail: string,
  ) {
    super(`subscriber ${subscriberId}: ${detail}`);
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How far back a window may reach to cover digests missed during an outage. */
const MAX_CATCH_UP_MS = { daily: 7 * DAY_MS, weekly: 28 * DAY_MS } as const;
const DEFAULT_WEEKDAY = 1;

function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function dateKey(date: LocalDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** ISO 8601 week of a calendar date, e.g. `2026-W13` (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeekKey(date: LocalDate): string {
  const thursday = addDays(date, 3 - ((weekdayOf(date) + 6) % 7));
  const firstOfYear = Date.UTC(thursday.year, 0, 1);
  const week =
    Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - firstOfYear) / (7 * DAY_MS)) + 1;
  return `${pad(thursday.year, 4)}-W${pad(week)}`;
}

/** The instant a digest for local `date` at local `hour` goes out: the first moment the zone's clock reads it. */
export function deliveryInstant(date: LocalDate, hour: number, timeZone: string): number {
  return firstInstantAtOrAfter({ ...date, hour, minute: 0, second: 0 }, timeZone);
}

function checkSchedule(subscriber: Subscriber): { hour: number; weekday: number } {
  if (!isValidTimeZone(subscriber.timeZone)) {
    throw new InvalidScheduleError(subscriber.id, `unknown time zone "${subscriber.timeZone}"`);
  }
  const hour = subscriber.deliveryHour;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new InvalidScheduleError(subscriber.id, `delivery hour ${hour} is not between 0 and 23`);
  }
  const weekday = subscriber.deliveryWeekday ?? DEFAULT_WEEKDAY;
  if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
    throw new InvalidScheduleError(subscriber.id, `delivery weekday ${weekday} is not between 0 and 6`);
  }
  return { hour, weekday };
}

/**
 * The digest window that falls due for `subscriber` in the hourly round running at `now`, if any.
 *
 * A digest is due in the hour that starts at its delivery instant, so a round that runs once an hour
 * (at any minute) finds each delivery exactly once, whatever the zone's offset or daylight-saving
 * changes. The window runs from the previous delivery instant (or from where the last digest ended,
 * when that is recent) to this one. Instant subscribers and inactive ones are never due here.
 * Throws InvalidScheduleError when the stored schedule is unusable.
 */
export function digestWindowDue(subscriber: Subscriber, now: Date): DigestWindow | undefined {
  if (subscriber.status !== 'active') return undefined;
  const frequency = subscriber.frequency;
  if (frequency === 'instant') return undefined;
  const { hour, weekday } = checkSchedule(subscriber);
  const nowMs = now.getTime();
  const local = localDateTimeAt(nowMs, subscriber.timeZone);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };

  // The delivery hour can straddle local midnight on days the clocks change, so yesterday's
  // delivery is checked as well as today's.
  for (const date of [today, addDays(today, -1)]) {
    if (frequency === 'weekly' && weekdayOf(date) !== weekday) continue;
    const endMs = deliveryInstant(date, hour, subscriber.timeZone);
    if (nowMs < endMs || nowMs >= endMs + HOUR_MS) continue;

    const previous = addDays(date, frequency === 'weekly' ? -7 : -1);
    const startMs = windowStart(
      deliveryInstant(previous, hour, subscriber.timeZone),
      endMs,
      subscriber.lastWindowEnd,
      MAX_CATCH_UP_MS[frequency],
    );
    if (startMs === undefined) return undefined;
    const key = frequency === 'weekly' ? `weekly:${isoWeekKey(date)}` : `daily:${dateKey(date)}`;
    return { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), key };
  }
  return undefined;
}

/**
 * The digest window `subscriber` is owed at `now`: the one ending at their latest delivery instant that
 * has passed, unless a digest already covered it (their `lastWindowEnd`). Unlike `digestWindowDue` it
 * does not expire with the delivery hour, so a job lost to a crash, or a round missed by a sleeping
 * laptop, is found again by the next round: one digest, reaching back at most the catch-up limit.
 */
export function owedDigestWindow(subscriber: Subscriber, now: Date): DigestWindow | undefined {
  if (subscriber.status !== 'active' || subscriber.frequency === 'instant') return undefined;
  const { hour, weekday } = checkSchedule(subscriber);
  const local = localDateTimeAt(now.getTime(), subscriber.timeZone);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  for (let back = 0; back <= 8; back++) {
    const date = addDays(today, -back);
    if (subscriber.frequency === 'weekly' && weekdayOf(date) !== weekday) continue;
    const instant = deliveryInstant(date, hour, subscriber.timeZone);
    if (instant <= now.getTime()) return digestWindowDue(subscriber, new Date(instant));
  }
  return undefined;
}

/** Where a window starts: where the last one ended when that is recent, else one period back. */
function windowStart(
  previousMs: number,
  endMs: number,
  lastWindowEnd: string | undefined,
  maxCatchUpMs: number,
): number | undefined {
  if (lastWindowEnd === undefined) return previousMs;
  const lastEndMs = Date.parse(lastWindowEnd);
  if (Number.isNaN(lastEndMs)) return previousMs;
  // Already delivered up to (or past) this window: nothing is due.
  if (lastEndMs >= endMs) return undefined;
  if (lastEndMs >= endMs - maxCatchUpMs) return lastEndMs;
  return previousMs;
}

/** When the subscriber's next scheduled digest goes out after `after`, for display; undefined for instant. */
export function nextDigestAt(subscriber: Subscriber, after: Date): Date | undefined {
  if (subscriber.frequency === 'instant') return undefined;
  const { hour, weekday } = checkSchedule(subscriber);
  const local = localDateTimeAt(after.getTime(), subscriber.timeZone);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  for (let offset = -1; offset <= 8; offset++) {
    const date = addDays(today, offset);
    if (subscriber.frequency === 'weekly' && weekdayOf(date) !== weekday) continue;
    const instant = deliveryInstant(date, hour, subscriber.timeZone);
    if (instant > after.getTime()) return new Date(instant);
  }
  return undefined;
}
