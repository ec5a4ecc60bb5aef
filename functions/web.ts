import { createApp } from '#lib/app/create-app.ts';
import { fetchTokenSecret } from '#lib/app/token-secret.ts';
import { loadConfig } from '#lib/config.ts';
import { createWebHandler } from '#lib/handlers/web.ts';

const config = loadConfig();
// On AWS the link-signing key lives in Secrets Manager: read once, at cold start, before any request.
const tokenSecret = await fetchTokenSecret(config);

/** API Gateway HTTP API → the web pages, the public API and the admin API. */
export const handler = createWebHandler(createApp(config, { tokenSecret }));
