/** A wall-clock date and time in some time zone, with no zone attached. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One `Intl.DateTimeFormat` per style and zone for the life of the process: building one costs far
 * more than formatting with it, and schedules and digests format thousands of times per round.
 */
export function zonedFormatter(
  style: string,
  timeZone: string,
  create: (timeZone: string) => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = create(timeZone);
    formatters.set(key, formatter);
  }
  return formatter;
}

const wallClockParts = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  return zonedFormatter('parts', timeZone, wallClockParts);
}

/** True when the runtime knows `timeZone` as an IANA zone (or UTC). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  if (formatters.has(`parts ${timeZone}`)) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timeZone` at the instant `utcMs`. */
export function localDateTimeAt(utcMs: number, timeZone: string): LocalDateTime {
  const local: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(utcMs)) {
    switch (part.type) {
      case 'year':
        local.year = Number(part.value);
        break;
      case 'month':
        local.month = Number(part.value);
        break;
      case 'day':
        local.day = Number(part.value);
        break;
      case 'hour':
        local.hour = Number(part.value);
        break;
      case 'minute':
        local.minute = Number(part.value);
        break;
      case 'second':
        local.second = Number(part.value);
        break;
      default:
        break;
    }
  }
  return local;
}

function wallAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds (east positive). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(utcMs / 1000) * 1000;
  return wallAsUtcMs(localDateTimeAt(wholeSecond, timeZone)) - wholeSecond;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The first instant at which the clock in `timeZone` reads `local` or later.
 *
 * A wall time repeated when clocks go back maps to its first occurrence; a wall time skipped when
 * clocks go forward maps to the moment the clocks jump, the first valid instant after it.
 */
export function firstInstantAtOrAfter(local: LocalDateTime, timeZone: string): number {
  const wallMs = wallAsUtcMs(local);
  // Real instants lie within a day of the wall time read as UTC, and zones change offset at most
  // once in that span, so the offsets a day either side are the only candidates.
  const candidates = [
    wallMs - zoneOffsetMs(wallMs - DAY_MS, timeZone),
    wallMs - zoneOffsetMs(wallMs + DAY_MS, timeZone),
  ].sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (candidate + zoneOffsetMs(candidate, timeZone) === wallMs) return candidate;
  }
  // Skipped wall time: binary-search the jump between the two candidates, to the minute.
  let low = candidates[0] ?? wallMs;
  let high = candidates[1] ?? wallMs;
  while (high - low > MINUTE_MS) {
    const mid = low + Math.max(MINUTE_MS, Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS);
    if (mid + zoneOffsetMs(mid, timeZone) >= wallMs) high = mid;
    else low = mid;
  }
  return high;
}
