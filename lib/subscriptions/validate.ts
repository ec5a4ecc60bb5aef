import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Subscriber, SubscriberFilters } from './subscriber.ts';
import { FREQUENCIES } from './subscriber.ts';
import { isValidTimeZone } from './zoned-time.ts';

/** Subscriber fields after validation, ready to store. */
export type SubscriberInput = Pick<
  Subscriber,
  'email' | 'topics' | 'frequency' | 'timeZone' | 'deliveryHour' | 'deliveryWeekday' | 'filters'
>;

/** Subscriber input that does not validate; `field` names the first offending field. */
export class SubscriberInputError extends Error {
  override name = 'SubscriberInputError';
  constructor(
    readonly field: string,
    detail: string,
    readonly issues: ReadonlyArray<{ field: string; message: string }> = [{ field, message: detail }],
  ) {
    super(`${field}: ${detail}`);
  }
}

const MAX_KEYWORDS = 20;
const DEFAULT_WEEKDAY = 1;

const keywordList = z
  .array(z.string().trim().min(1, 'keywords cannot be empty').max(60, 'keywords are at most 60 characters'))
  .max(MAX_KEYWORDS, `at most ${MAX_KEYWORDS} keywords`)
  .transform((words) => [...new Set(words.map((word) => word.toLowerCase()))]);

const subscriberInputSchema = z.object({
  email: z
    .string({ error: 'an email address is required' })
    .trim()
    .toLowerCase()
    .max(254, 'email address is too long')
    .pipe(z.email({ error: 'not a valid email address' })),
  topics: z
    .array(z.string().trim().min(1), { error: 'a list of topics is required' })
    .min(1, 'choose at least one topic')
    .transform((topics) => [...new Set(topics)]),
  frequency: z.enum(FREQUENCIES, { error: `one of ${FREQUENCIES.join(', ')}` }).default('daily'),
  timeZone: z
    .string()
    .trim()
    .default('UTC')
    .refine(isValidTimeZone, { error: 'not a known IANA time zone (e.g. Europe/London)' }),
  deliveryHour: z.coerce
    .number()
    .int('a whole hour')
    .min(0, 'an hour from 0 to 23')
    .max(23, 'an hour from 0 to 23')
    .default(8),
  deliveryWeekday: z.coerce
    .number()
    .int('a whole weekday number')
    .min(0, 'a weekday from 0 (Sunday) to 6 (Saturday)')
    .max(6, 'a weekday from 0 (Sunday) to 6 (Saturday)')
    .optional(),
  filters: z
    .object({
      minScore: z.coerce.number().min(0, 'a score from 0 to 1').max(1, 'a score from 0 to 1').optional(),
      includeKeywords: keywordList.optional(),
      excludeKeywords: keywordList.optional(),
    })
    .optional(),
});

/**
 * Validates and normalizes subscriber input from the API or CLI: lower-cased email, known topics,
 * a real time zone, an hour 0–23 and, for weekly digests, a weekday (Monday unless given).
 * Throws SubscriberInputError naming the field.
 */
export function parseSubscriberInput(
  input: unknown,
  knownTopicIds: ReadonlySet<string> | readonly string[],
): SubscriberInput {
  const result = subscriberInputSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : 'input',
      message: issue.message,
    }));
    const first = issues[0] ?? { field: 'input', message: 'invalid subscriber' };
    throw new SubscriberInputError(first.field, first.message, issues);
  }
  const parsed = result.data;
  const known = knownTopicIds instanceof Set ? knownTopicIds : new Set(knownTopicIds);
  const unknownTopic = parsed.topics.find((topic) => !known.has(topic));
  if (unknownTopic !== undefined) {
    throw new SubscriberInputError(
      'topics',
      `unknown topic "${unknownTopic}" (choose from ${[...known].join(', ')})`,
    );
  }

  const filters = compactFilters(parsed.filters);
  return {
    email: parsed.email,
    topics: parsed.topics,
    frequency: parsed.frequency,
    timeZone: parsed.timeZone,
    deliveryHour: parsed.deliveryHour,
    ...(parsed.frequency === 'weekly' ? { deliveryWeekday: parsed.deliveryWeekday ?? DEFAULT_WEEKDAY } : {}),
    ...(filters ? { filters } : {}),
  };
}

function compactFilters(filters: SubscriberFilters | undefined): SubscriberFilters | undefined {
  if (!filters) return undefined;
  const compact: SubscriberFilters = {};
  if (filters.minScore !== undefined && filters.minScore > 0) compact.minScore = filters.minScore;
  if (filters.includeKeywords?.length) compact.includeKeywords = filters.includeKeywords;
  if (filters.excludeKeywords?.length) compact.excludeKeywords = filters.excludeKeywords;
  return Object.keys(compact).length > 0 ? compact : undefined;
}

/** Stable subscriber id: the first 32 hex characters of sha256 of the trimmed, lower-cased email. */
export function subscriberIdFor(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex').slice(0, 32);
}
