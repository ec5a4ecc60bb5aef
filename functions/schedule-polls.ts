import { getAppContext } from '#lib/app/context.ts';
import { type SchedulePollsResult, schedulePolls } from '#lib/ingest/schedule-polls.ts';

/** EventBridge Scheduler, every few minutes: queue one poll per due feed. */
export async function handler(): Promise<SchedulePollsResult> {
  const { feeds, sqs, queueUrl, log } = getAppContext();
  const result = await schedulePolls({ feeds, sqs, queueUrl: await queueUrl('pollFeeds') });
  log.info('Queued due feeds', { due: result.due, queued: result.queued, failed: result.failed.length });
  return result;
}
