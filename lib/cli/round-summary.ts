import type { DeliveryOutcome } from '../delivery/deliver.ts';
import type { PollOutcome } from '../ingest/poll-feed.ts';
import { isUnreachable, OFFLINE_HINT } from './unreachable.ts';

/** Counts of one poll round, for the summary line and `poll --all`. */
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

/** "24 feeds: 18 updated, 4 not modified, 2 failed · 131 new stories, 9 relevant (encryption 3, …)" */
export function formatPollSummary(summary: PollSummary): string {
  const parts = [
    `${summary.updated} updated`,
    `${summary.notModified} not modified`,
    `${summary.failed} failed`,
  ];
  if (summary.skipped) parts.push(`${summary.skipped} skipped`);
  const topics = [...summary.relevantByTopic.entries()]
    .map(([topic, count]) => `${topic} ${count}`)
    .join(', ');
  return (
    `${plural(summary.polled, 'feed')}: ${parts.join(', ')} · ${plural(summary.newStories, 'new story', 'new stories')}, ` +
    `${summary.relevant} relevant${topics ? ` (${topics})` : ''}`
  );
}

/** One line when every feed polled failed before reaching a server: the likely cause is this machine. */
export function offlineHint(summary: PollSummary): string | undefined {
  const attempted = summary.polled - summary.skipped;
  return attempted > 0 && summary.unreachable === attempted ? OFFLINE_HINT : undefined;
}

/** "3 digests due: 2 sent, 1 with nothing new" */
export function formatDeliverySummary(outcomes: readonly DeliveryOutcome[]): string {
  const count = (status: DeliveryOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const parts = [`${count('sent')} sent`, `${count('empty')} with nothing new`];
  if (count('already-sent')) parts.push(`${count('already-sent')} already sent`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  return `${plural(outcomes.length, 'delivery', 'deliveries')}: ${parts.join(', ')}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}
