import { formatTable, relativeTime } from '#lib/cli/table.ts';
import type { Feed } from '#lib/feeds/feed.ts';

/** The width `feeds list` fits without --wide: a common terminal. */
export const NARROW_WIDTH = 100;

/** Cuts text to `width` characters, marking the cut. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function status(feed: Feed): string {
  return feed.enabled ? (feed.consecutiveFailures > 0 ? 'failing' : 'ok') : 'disabled';
}

function problem(feed: Feed): string {
  if (!feed.enabled) return feed.disabledReason ?? '';
  return feed.lastError ? `${feed.lastError.name}: ${feed.lastError.message}` : '';
}

/**
 * The registry as a table a person scans. Narrow (the default) fits 100 columns: name, URL without its
 * scheme, status, last success and next poll, with a failing feed's error on its own clipped line below.
 * Wide shows every column in full, the full URL and the failure count included.
 */
export function formatFeedList(feeds: readonly Feed[], options: { wide: boolean; now?: Date }): string {
  const now = options.now ?? new Date();
  if (options.wide) {
    const rows = feeds.map((feed) => [
      feed.name,
      feed.url,
      status(feed),
      relativeTime(feed.lastSuccessAt, now),
      String(feed.consecutiveFailures),
      feed.enabled ? relativeTime(feed.nextPollAt, now) : '—',
      problem(feed),
    ]);
    return formatTable(
      ['feed', 'url', 'status', 'last success', 'failures', 'next poll', 'last error / reason'],
      rows,
    );
  }
  const rows = feeds.map((feed) => [
    clip(feed.name, 22),
    clip(feed.url.replace(/^https?:\/\//, ''), 38),
    status(feed),
    relativeTime(feed.lastSuccessAt, now),
    feed.enabled ? relativeTime(feed.nextPollAt, now) : '—',
  ]);
  const lines = formatTable(['feed', 'url', 'status', 'last success', 'next poll'], rows).split('\n');
  const out = lines.slice(0, 2);
  feeds.forEach((feed, index) => {
    out.push(lines[index + 2] ?? '');
    const why = problem(feed);
    if (why) out.push(clip(`    ↳ ${why}`, NARROW_WIDTH));
  });
  return out.join('\n');
}
