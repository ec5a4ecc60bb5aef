import { createCoreApp } from '#lib/app/core-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createSchedulePollsHandler } from '#lib/handlers/schedules.ts';

/** EventBridge Scheduler, every few minutes → one poll-feeds message per due feed. */
export const handler = createSchedulePollsHandler(createCoreApp(loadConfig()));
