import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import type { PollSummary } from '#lib/ingest/poll-summary.ts';
import { plural } from '#lib/plural.ts';

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

/** "3 digests due: 2 sent, 1 with nothing new" */
export function formatDeliverySummary(outcomes: readonly DeliveryOutcome[]): string {
  const count = (status: DeliveryOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const parts = [`${count('sent')} sent`, `${count('empty')} with nothing new`];
  if (count('already-sent')) parts.push(`${count('already-sent')} already sent`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  return `${plural(outcomes.length, 'delivery', 'deliveries')}: ${parts.join(', ')}`;
}
