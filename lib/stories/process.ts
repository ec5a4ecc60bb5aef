import type { ClassifiableText, Classification } from '#lib/classify/types.ts';
import { parseFeed } from '#lib/reader/parse.ts';
import { cleanText } from './clean-text.ts';
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

export interface ProcessedFeed {
  feed: { title: string | undefined; link: string | undefined; language: string | undefined };
  items: ClassifiedItem[];
}

/**
 * The pure in-process ingestion path: parse → normalize → dedupe within the feed → classify. No I/O, so the
 * handler, the `poll` command and the benchmark share it. Relative links resolve against `feed.url`, which should
 * be the URL after redirects. A configured feed language wins over what the feed declares.
 */
export async function processFeed(
  xml: string,
  feed: FeedIdentity,
  classify: (text: ClassifiableText) => Classification,
  fetchedAt: Date,
): Promise<ProcessedFeed> {
  const parsed = await parseFeed(xml, feed.url);
  const language = feed.language ?? parsed.language;
  const normalized: NormalizedItem[] = [];
  for (const raw of parsed.items) {
    const item = normalizeItem(raw, { url: parsed.base, language }, fetchedAt);
    if (item !== undefined) normalized.push(item);
  }
  const items = dedupeItems(normalized).map((item) => ({
    ...item,
    classification: classify({ title: item.title, summary: item.summary, language: item.language }),
  }));
  const title = parsed.title === undefined ? undefined : cleanText(parsed.title) || undefined;
  return { feed: { title, link: parsed.link, language: parsed.language }, items };
}
