import { parseHttpUrl } from '#lib/http-url.ts';
import type { RawFeedItem } from '#lib/reader/parse.ts';
import { canonicalize, storyIdFor } from './canonical-url.ts';
import { cleanText, foldWhitespace, truncate } from './clean-text.ts';
import { detectLanguage, primaryLanguage } from './language.ts';
import { parsePublished } from './published.ts';
import type { NormalizedItem } from './story.ts';

export { canonicalUrl, storyIdFor } from './canonical-url.ts';
export { cleanText } from './clean-text.ts';
export { detectLanguage } from './language.ts';
export { parsePublished } from './published.ts';

export const SUMMARY_MAX_LENGTH = 600;

/** Whether a GUID names a story on its own (a URL, a URN or tag URI, or a long unique string). */
export function isGlobalGuid(guid: string): boolean {
  return /^(https?:|urn:|tag:)/i.test(guid) || guid.length >= 24;
}
const TITLE_MAX_LENGTH = 300;

/**
 * Turns a raw feed entry into a `NormalizedItem`: canonical URL and stable id, clean title and summary, UTC
 * publication time, language (the item's or the feed's declaration first, then a guess from the text).
 * Undefined when the entry has neither a usable link, nor a GUID, nor a title — nothing to show or dedupe by.
 */
export function normalizeItem(
  raw: RawFeedItem,
  feed: { url: string; language?: string | undefined },
  fetchedAt: Date,
): NormalizedItem | undefined {
  const base = raw.base || feed.url;
  const guid = raw.guid === undefined ? undefined : foldWhitespace(raw.guid) || undefined;
  // An RSS guid that is a permalink is the item's URL when the item gives no link of its own.
  const linkText = raw.link?.trim() || (guid && raw.guidIsPermaLink ? guid : undefined);
  const url = linkText === undefined ? undefined : parseHttpUrl(linkText, base);
  const link = url?.href;
  const canonical = url === undefined ? undefined : canonicalize(url);
  const summary = cleanText(raw.summaryHtml || raw.contentHtml || '', SUMMARY_MAX_LENGTH);
  let title =
    raw.title === undefined ? '' : raw.titleIsHtml ? cleanText(raw.title) : foldWhitespace(raw.title);
  title = truncate(title, TITLE_MAX_LENGTH);
  if (canonical === undefined && guid === undefined && title === '') return undefined;
  if (title === '') title = truncate(summary, 120) || (link ?? guid ?? '');

  // A GUID like "1" or "post-42" repeats across feeds: it identifies a story only within its feed.
  const guidIdentity =
    guid === undefined ? undefined : isGlobalGuid(guid) ? guid : `${feed.url}#guid:${guid}`;
  const identity = canonical ?? guidIdentity ?? `${feed.url}#${title}`;
  return {
    id: storyIdFor(identity),
    canonicalUrl: canonical ?? '',
    link: link ?? '',
    guid,
    title,
    summary,
    publishedAt: parsePublished(raw.published, fetchedAt),
    language:
      primaryLanguage(raw.language) ??
      primaryLanguage(feed.language) ??
      detectLanguage(`${title} ${summary}`),
  };
}
