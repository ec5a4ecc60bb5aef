import { zonedFormatter } from '#lib/subscriptions/zoned-time.ts';

/** English locales whose time-zone names carry the abbreviations readers there use (EST, AEDT, IST, SAST…). */
const LOCALES = ['en-GB', 'en-US', 'en-AU', 'en-IN', 'en-ZA'] as const;

const localeForZone = new Map<string, string>();

function nameIn(locale: string, ms: number, timeZone: string): string {
  const formatter = zonedFormatter(
    `zone-name ${locale}`,
    timeZone,
    (zone) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }),
  );
  return formatter.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/**
 * The zone's abbreviation at that instant where it has one (BST, CET, EST, AEDT), else its offset
 * (GMT+9). No single locale knows every abbreviation (en-GB writes New York as GMT-5), so the first
 * English locale that names the zone is remembered for it.
 */
export function zoneAbbreviation(ms: number, timeZone: string): string {
  const known = localeForZone.get(timeZone);
  if (known) return nameIn(known, ms, timeZone);
  for (const locale of LOCALES) {
    const name = nameIn(locale, ms, timeZone);
    if (!/^GMT[+-]/.test(name)) {
      localeForZone.set(timeZone, locale);
      return name;
    }
  }
  localeForZone.set(timeZone, 'en-GB');
  return nameIn('en-GB', ms, timeZone);
}
