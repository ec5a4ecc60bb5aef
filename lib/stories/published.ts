const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
  cet: 1,
  cest: 2,
  bst: 1,
};
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;
// The longest real date is about 40 characters. The patterns below have adjacent optional whitespace, which
// backtracks polynomially on long runs; a bound on the input keeps every read constant-time.
const MAX_DATE_LENGTH = 100;

// RFC 822/1123 and the variants feeds actually send: no weekday, one-digit day, two-digit year, no seconds,
// "-" separators, named or numeric zones.
const RFC822 =
  /^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})(?:[\sT,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?\s*$/;
// ISO 8601 / W3C-DTF, extended or basic, with or without time, seconds, fractions and zone.
const ISO8601 =
  /^(\d{4})-?(\d{2})(?:-?(\d{2}))?(?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The publication time as an ISO 8601 UTC string. Reads RFC 822 and ISO 8601 and their common variants; a
 * time without a zone is taken as UTC. Missing, unreadable or more than a day in the future → `fetchedAt`.
 */
export function parsePublished(value: string | undefined, fetchedAt: Date): string {
  const time = value === undefined ? undefined : parseDate(value.trim());
  if (time === undefined || time > fetchedAt.getTime() + FUTURE_TOLERANCE_MS) return fetchedAt.toISOString();
  return new Date(time).toISOString();
}

function parseDate(text: string): number | undefined {
  if (text === '' || text.length > MAX_DATE_LENGTH) return undefined;
  // RSS dates start with a weekday or day, ISO dates with the year: try the likely shape first.
  const rfc = /^\d{4}/.test(text) ? null : RFC822.exec(text);
  if (rfc) {
    const [, day, monthName = '', yearText = '', hour, minute, second, zone] = rfc;
    const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
    let year = Number(yearText);
    if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
    if (month > 0) return build(year, month, Number(day), hour, minute, second, 0, zoneOffset(zone));
  }
  const iso = rfc ? null : ISO8601.exec(text);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    const millis = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
    return build(
      Number(year),
      Number(month),
      Number(day ?? 1),
      hour,
      minute,
      second,
      millis,
      zoneOffset(zone),
    );
  }
  // Last resort for other shapes ("Jan 1 2004 10:00 GMT"); only trusted when it names a zone.
  const fallback = Date.parse(text);
  return Number.isNaN(fallback) || !/(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})\b/i.test(text) ? undefined : fallback;
}

function build(
  year: number,
  month: number,
  day: number,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
  millis: number,
  offsetMinutes: number | undefined,
): number | undefined {
  const hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  const second = Math.min(59, Number(secondText ?? 0)); // a leap second reads as :59
  if (offsetMinutes === undefined || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 24 || minute > 59 || second > 60) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; a date that rolled over was never valid.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  return utc - offsetMinutes * 60_000;
}

/** Minutes east of UTC. No zone means UTC. */
function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  const hours = ZONES[zone.toLowerCase()];
  // Unknown names (and the often misused military letters) read as UTC: hours off beats falling back to now.
  return (hours ?? 0) * 60;
}
