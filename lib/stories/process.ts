import type { ClassifiableText, Classification } from '#lib/classify/types.ts';
import { cleanText } from '#lib/plain-text.ts';
import { parseFeed } from '#lib/reader/parse.ts';
import { ParseBudget } from '#lib/reader/parse-budget.ts';
import { dedupeItems } from './cluster.ts';
import { normalizeItem } from './normalize.ts';
import type { NormalizedItem } from './story.ts';

/** The feed being processed, as the store knows it. */
export interface FeedIdentity {
  id: string;
  url: string;
  name: string;
  language?: string | undefined;
}

export type ClassifiedItem = NormalizedItem & { classification: Classification };

/** Items kept from one read of a feed: enough for any news feed's window, bounded for a hostile one. */
export const DEFAULT_MAX_ITEMS_PER_FEED = 500;

export interface ProcessFeedOptions {
  /** Keep at most this many items, the newest by publication time (default 500). */
  maxItems?: number;
  /** Processor time the whole read may take; a `ParseBudgetExceededError` ends it after that. */
  budget?: ParseBudget;
}

export interface ProcessedFeed {
  feed: { title: string | undefined; link: string | undefined; language: string | undefined };
  items: ClassifiedItem[];
}

/**
 * The pure in-process ingestion path: parse → normalize → dedupe within the feed → classify. No I/O, so the
 * handler, the `poll` command and the benchmark share it. Relative links resolve against `feed.url`, which should
 * be the URL after redirects. A configured feed language wins over what the feed declares. The whole read runs
 * under a processor-time budget (10 s by default) and ends in a `ParseBudgetExceededError` when it runs out. At most
 * `maxItems` items (500 by default), the newest, are kept.
 */
export async function processFeed(
  xml: string,
  feed: FeedIdentity,
  classify: (text: ClassifiableText) => Classification,
  fetchedAt: Date,
  options: ProcessFeedOptions = {},
): Promise<ProcessedFeed> {
  const budget = options.budget ?? new ParseBudget(feed.url);
  const parsed = await parseFeed(xml, feed.url, budget);
  const language = feed.language ?? parsed.language;
  const normalized: NormalizedItem[] = [];
  for (const raw of parsed.items) {
    budget.check('normalizing items');
    const item = normalizeItem(raw, { url: parsed.base, language }, fetchedAt);
    if (item !== undefined) normalized.push(item);
  }
  const items = keepNewest(dedupeItems(normalized), options.maxItems ?? DEFAULT_MAX_ITEMS_PER_FEED).map(
    (item) => {
      budget.check('classifying items');
      return {
        ...item,
        classification: classify({ title: item.title, summary: item.summary, language: item.language }),
      };
    },
  );
  const title = parsed.title === undefined ? undefined : cleanText(parsed.title) || undefined;
  return { feed: { title, link: parsed.link, language: parsed.language }, items };
}

/** The `limit` newest items (by publication time), in the feed's order; all of them when within the limit. */
function keepNewest<T extends NormalizedItem>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const kept = new Set(
    items
      .map((item, position) => ({ position, time: Date.parse(item.publishedAt) }))
      .sort((a, b) => b.time - a.time || a.position - b.position)
      .slice(0, limit)
      .map((entry) => entry.position),
  );
  return items.filter((_, position) => kept.has(position));
}
