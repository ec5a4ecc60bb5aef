import { getAppContext } from '#lib/app/context.ts';
import { type ScheduleDigestsResult, scheduleDigests } from '#lib/delivery/schedule-digests.ts';

/** EventBridge Scheduler, hourly: queue one digest job per subscriber whose delivery hour has come. */
export async function handler(): Promise<ScheduleDigestsResult> {
  const { subscribers, sqs, queueUrl, log } = getAppContext();
  const result = await scheduleDigests({ subscribers, sqs, queueUrl: await queueUrl('digests'), log });
  log.info('Queued due digests', { ...result });
  return result;
}
