import { createHash } from 'node:crypto';
import { parseHttpUrl } from '#lib/http-url.ts';
import { cleanText, foldWhitespace, truncate } from '#lib/plain-text.ts';
import type { RawFeedItem } from '#lib/reader/parse.ts';
import { canonicalize, storyIdFor } from './canonical-url.ts';
import { detectLanguage, primaryLanguage } from './language.ts';
import { parsePublished } from './published.ts';
import type { NormalizedItem } from './story.ts';

export { cleanText } from '#lib/plain-text.ts';
export { canonicalUrl, storyIdFor } from './canonical-url.ts';
export { detectLanguage } from './language.ts';
export { parsePublished } from './published.ts';

export const SUMMARY_MAX_LENGTH = 600;
/**
 * A GUID longer than this (in UTF-8 bytes) is kept as its SHA-256 instead: it is part of a DynamoDB key, which
 * holds at most 2,048 bytes, and a GUID only has to be compared, never shown.
 */
export const GUID_MAX_BYTES = 256;
/**
 * A link longer than this is dropped (the item keeps its GUID or title as identity): it is stored three times
 * per story, and no real article URL comes near it (2,048 is also what search engines and sitemaps accept).
 */
export const URL_MAX_LENGTH = 2048;

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
  const guidText = raw.guid === undefined ? undefined : foldWhitespace(raw.guid) || undefined;
  const guid = guidText === undefined ? undefined : boundedGuid(guidText);
  // An RSS guid that is a permalink is the item's URL when the item gives no link of its own.
  const linkText = raw.link?.trim() || (guidText && raw.guidIsPermaLink ? guidText : undefined);
  const parsedUrl =
    linkText === undefined || linkText.length > URL_MAX_LENGTH ? undefined : parseHttpUrl(linkText, base);
  const url = parsedUrl === undefined || parsedUrl.href.length > URL_MAX_LENGTH ? undefined : parsedUrl;
  const link = url?.href;
  const canonical = url === undefined ? undefined : canonicalize(url);
  // Text the feed declared plain (Atom type="text") is shown as written: "<b>" in it is not markup.
  const [body, bodyIsHtml] = raw.summaryHtml
    ? [raw.summaryHtml, raw.summaryIsHtml]
    : [raw.contentHtml ?? '', raw.contentIsHtml];
  const summary =
    bodyIsHtml === false
      ? truncate(foldWhitespace(body), SUMMARY_MAX_LENGTH)
      : cleanText(body, SUMMARY_MAX_LENGTH);
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

/** The GUID as written, or `sha256:<hex>` of it when it is too long to be part of a key. */
function boundedGuid(guid: string): string {
  if (Buffer.byteLength(guid, 'utf8') <= GUID_MAX_BYTES) return guid;
  return `sha256:${createHash('sha256').update(guid).digest('hex')}`;
}
