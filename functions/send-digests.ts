import { createApp } from '#lib/app/create-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';

/** SQS digests → compose, send and record each digest or alert exactly once. */
export const handler = createSendDigestsHandler(createApp(loadConfig()));
