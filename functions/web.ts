import { createApp } from '#lib/app/create-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createWebHandler } from '#lib/handlers/web.ts';

/** API Gateway HTTP API → the web pages, the public API and the admin API. */
export const handler = createWebHandler(createApp(loadConfig()));
