import { createApp } from '#lib/app/create-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createScheduleDigestsHandler } from '#lib/handlers/schedules.ts';

/** EventBridge Scheduler, hourly → one digests message per subscriber whose delivery hour has come. */
export const handler = createScheduleDigestsHandler(createApp(loadConfig()));
