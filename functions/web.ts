import { createCoreApp } from '#lib/app/core-app.ts';
import { fetchTokenSecret } from '#lib/app/token-secret.ts';
import { loadConfig } from '#lib/config.ts';
import { createWebHandler } from '#lib/handlers/web.ts';

const config = loadConfig();
// On AWS the link-signing key lives in Secrets Manager: read once, at cold start, before any request.
const tokenSecret = await fetchTokenSecret(config);

/**
 * API Gateway HTTP API → the web pages, the public API and the admin API. Built without a mail
 * transport: sign-up mails are queued for the digest sender, the only function that sends mail.
 */
export const handler = createWebHandler(createCoreApp(config, { tokenSecret }));
