import type { Story } from './story.ts';

/**
 * How much later than its publication a story may be first seen and still count as news. A healthy
 * feed is polled within minutes and a failing one at least daily (backoff is capped at 24 hours), so
 * two days covers any real delay plus a publisher's clock; anything older is a newly added feed's
 * backlog, which belongs in no digest and no alert.
 */
export const NEWS_MAX_DELAY_MS = 48 * 3_600_000;

/** True when the story was first seen soon enough after publication to be news. */
export function isNews(story: Pick<Story, 'firstSeenAt' | 'publishedAt'>): boolean {
  return Date.parse(story.firstSeenAt) - Date.parse(story.publishedAt) <= NEWS_MAX_DELAY_MS;
}
