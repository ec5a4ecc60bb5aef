import { createApp } from '#lib/app/create-app.ts';
import { fetchTokenSecret } from '#lib/app/token-secret.ts';
import { loadConfig } from '#lib/config.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';

const config = loadConfig();
// On AWS the link-signing key lives in Secrets Manager: read once, at cold start, before any message.
const tokenSecret = await fetchTokenSecret(config);

/** SQS digests → compose, send and record each digest, alert or sign-up mail exactly once. */
export const handler = createSendDigestsHandler(createApp(config, { tokenSecret }));
