import { createCoreApp } from '#lib/app/core-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createSesEventsHandler } from '#lib/handlers/ses-events.ts';

/** SQS ses-events → bounces and complaints mark their subscribers suppressed. */
export const handler = createSesEventsHandler(createCoreApp(loadConfig()));
