import type { Context } from 'aws-lambda';
import type { App } from '#lib/app/create-app.ts';
import { type ScheduleDigestsResult, scheduleDigests } from '#lib/delivery/schedule-digests.ts';
import { type SchedulePollsResult, schedulePolls } from '#lib/ingest/schedule-polls.ts';

/** EventBridge Scheduler, every few minutes: queue one poll per due feed. */
export function createSchedulePollsHandler(app: App) {
  return async (_event?: unknown, context?: Context): Promise<SchedulePollsResult> => {
    if (context) app.log.addContext?.(context);
    const result = await schedulePolls({ feeds: app.feeds, queue: app.queues.pollFeeds });
    app.log.info('Queued due feeds', {
      due: result.due,
      queued: result.queued,
      failed: result.failed.length,
    });
    return result;
  };
}

/** EventBridge Scheduler, hourly: queue one digest job per subscriber whose delivery hour has come. */
export function createScheduleDigestsHandler(app: App) {
  return async (_event?: unknown, context?: Context): Promise<ScheduleDigestsResult> => {
    if (context) app.log.addContext?.(context);
    const result = await scheduleDigests({
      subscribers: app.subscribers,
      queue: app.queues.digests,
      log: app.log,
    });
    app.log.info('Queued due digests', { ...result });
    return result;
  };
}
