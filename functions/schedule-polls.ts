import { createApp } from '#lib/app/create-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createSchedulePollsHandler } from '#lib/handlers/schedules.ts';

/** EventBridge Scheduler, every few minutes → one poll-feeds message per due feed. */
export const handler = createSchedulePollsHandler(createApp(loadConfig()));
