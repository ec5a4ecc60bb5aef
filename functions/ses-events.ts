import { createApp } from '#lib/app/create-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createSesEventsHandler } from '#lib/handlers/ses-events.ts';

/** SQS ses-events → bounces and complaints mark their subscribers suppressed. */
export const handler = createSesEventsHandler(createApp(loadConfig()));
