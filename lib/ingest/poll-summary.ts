import { FeedFetchError } from '#lib/reader/errors.ts';
import type { PollOutcome } from './poll-feed.ts';

/** System error codes that mean the host could not be found or connected to at all. */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
]);

/** True when a feed failed before any server answered: DNS or the connection itself. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof FeedFetchError) || error.status !== undefined) return false;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/** Counts of one poll round: the summary line, `poll --all`, and the metrics alarms watch. */
export interface PollSummary {
  polled: number;
  updated: number;
  notModified: number;
  failed: number;
  /** Failed before any server answered (DNS, refused or dropped connections). */
  unreachable: number;
  skipped: number;
  newStories: number;
  relevant: number;
  relevantByTopic: Map<string, number>;
  failures: { feed: string; error: string }[];
}

export function summarizePolls(outcomes: readonly PollOutcome[]): PollSummary {
  const summary: PollSummary = {
    polled: outcomes.length,
    updated: 0,
    notModified: 0,
    failed: 0,
    unreachable: 0,
    skipped: 0,
    newStories: 0,
    relevant: 0,
    relevantByTopic: new Map(),
    failures: [],
  };
  for (const outcome of outcomes) {
    switch (outcome.status) {
      case 'updated':
        summary.updated++;
        summary.newStories += outcome.created.length;
        for (const story of outcome.created) {
          if (story.topics.length > 0) summary.relevant++;
          for (const topic of story.topics) {
            summary.relevantByTopic.set(topic.id, (summary.relevantByTopic.get(topic.id) ?? 0) + 1);
          }
        }
        break;
      case 'not-modified':
        summary.notModified++;
        break;
      case 'failed':
        summary.failed++;
        if (isUnreachable(outcome.error)) summary.unreachable++;
        summary.failures.push({
          feed: outcome.feed.name,
          error: `${outcome.error.name}: ${outcome.error.message}`,
        });
        break;
      case 'skipped':
        summary.skipped++;
        break;
    }
  }
  return summary;
}
