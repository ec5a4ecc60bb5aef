import type { ClassifiableText, Classification } from '../classify/types.ts';
import type { NormalizedItem } from '../stories/story.ts';
import { cleanText } from './clean-text.ts';
import { dedupeItems } from './cluster.ts';
import { normalizeItem } from './normalize.ts';
import { parseFeed } from './parse.ts';
import { ParseBudget } from './parse-budget.ts';

/** The feed being processed, as the store knows it. */
export interface FeedIdentity {
  id: string;
  url: string;
  name: string;
  language?: string | undefined;
}

export type ClassifiedItem = NormalizedItem & { classification: Classification };

export interface ProcessFeedOptions {
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
 * under a processor-time budget (10 s by default) and ends in a `ParseBudgetExceededError` when it runs out.
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
  const items = dedupeItems(normalized).map((item) => {
    budget.check('classifying items');
    return {
      ...item,
      classification: classify({ title: item.title, summary: item.summary, language: item.language }),
    };
  });
  const title = parsed.title === undefined ? undefined : cleanText(parsed.title) || undefined;
  return { feed: { title, link: parsed.link, language: parsed.language }, items };
}
