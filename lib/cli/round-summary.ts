import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import type { PollSummary } from '#lib/ingest/poll-summary.ts';
import { plural } from '#lib/plural.ts';

/** What to say when no feed of a round could be reached. */
export const OFFLINE_HINT = 'No feed could be reached - is this machine offline?';

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
