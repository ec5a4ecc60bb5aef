import { createCoreApp } from '#lib/app/core-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createScheduleDigestsHandler } from '#lib/handlers/schedules.ts';

/** EventBridge Scheduler, hourly → one digests message per subscriber whose delivery hour has come. */
export const handler = createScheduleDigestsHandler(createCoreApp(loadConfig()));
