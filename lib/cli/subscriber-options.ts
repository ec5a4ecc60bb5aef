import type { Command } from 'commander';
import { defaultTopicPackPath, loadTopicPack } from '#lib/classify/topic-pack.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { SubscriberInputError } from '#lib/subscriptions/validate.ts';

/** The options `subscribers add` and `subscribers update` share, as Commander hands them over. */
export interface SubscriberFlags {
  topics?: string;
  frequency?: string;
  timezone?: string;
  hour?: string;
  weekday?: string;
  minScore?: string;
  include?: string;
  exclude?: string;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_CHOICES = 'one of mon, tue, wed, thu, fri, sat, sun (or 0 for Sunday to 6 for Saturday)';

/** The topic ids of the built-in pack (config/topics.yaml), the one every command classifies with. */
export function builtInTopicIds(): string[] {
  return loadTopicPack(defaultTopicPackPath).topics.map((topic) => topic.id);
}

/** The topic ids for help text; a broken pack is reported when a command runs, not in --help. */
export function topicIdsForHelp(): string {
  try {
    return builtInTopicIds().join(', ');
  } catch {
    return 'see config/topics.yaml';
  }
}

/** Adds the subscriber options; `defaults` only for `add` (an update changes only what is given). */
export function withSubscriberOptions(command: Command, defaults: boolean): Command {
  const fallback = <T extends string>(value: T) => (defaults ? value : undefined);
  return command
    .option('--topics <ids>', `comma-separated topic ids: ${topicIdsForHelp()}`)
    .option('--frequency <when>', 'instant, daily or weekly', fallback('daily'))
    .option('--timezone <zone>', 'IANA time zone for delivery, e.g. Europe/London', fallback('UTC'))
    .option('--hour <hour>', 'local delivery hour, 0–23', fallback('8'))
    .option('--weekday <day>', 'weekly delivery day: mon…sun or 0 (Sunday)…6', fallback('mon'))
    .option('--min-score <score>', 'leave out stories scoring below this (0–1)')
    .option('--include <words>', 'only stories mentioning one of these comma-separated words')
    .option('--exclude <words>', 'leave out stories mentioning any of these comma-separated words');
}

export const commaList = (value: string | undefined) =>
  value
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** `--weekday` as a number 0–6, or a UsageError naming the accepted values. */
export function parseWeekday(text: string): number {
  const value = text.trim().toLowerCase();
  if (/^[0-6]$/.test(value)) return Number(value);
  const index = WEEKDAYS.indexOf(value.slice(0, 3));
  // "mon", "monday" and "Mon" all mean Monday; "funday" means nothing.
  const fullNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  if (index >= 0 && (value.length === 3 || value === fullNames[index])) return index;
  throw new UsageError(`--weekday must be ${WEEKDAY_CHOICES} (got "${text}").`);
}

/** `--hour` as a number, refusing anything that is not a whole hour before it reaches the schema. */
export function parseHour(text: string): number {
  if (!/^\d{1,2}$/.test(text.trim()) || Number(text) > 23) {
    throw new UsageError(`--hour must be a whole hour from 0 to 23 (got "${text}").`);
  }
  return Number(text);
}

/** `--min-score` as a number from 0 to 1. */
export function parseMinScore(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--min-score must be a number from 0 to 1 (got "${text}").`);
  }
  return value;
}

const OPTION_FOR_FIELD: Record<string, string> = {
  email: 'EMAIL',
  topics: '--topics',
  frequency: '--frequency',
  timeZone: '--timezone',
  deliveryHour: '--hour',
  deliveryWeekday: '--weekday',
  'filters.minScore': '--min-score',
  'filters.includeKeywords': '--include',
  'filters.excludeKeywords': '--exclude',
};

/** Re-words a validation error in terms of the command's options: `--timezone: not a known IANA time zone`. */
export function asOptionError(error: unknown): unknown {
  if (!(error instanceof SubscriberInputError)) return error;
  const field = error.field.replace(/\.\d+$/, '');
  const option = OPTION_FOR_FIELD[field] ?? field;
  const detail = error.message.slice(error.field.length + 2);
  return new UsageError(`${option}: ${detail}`);
}
