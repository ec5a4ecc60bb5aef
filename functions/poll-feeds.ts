import { createApp } from '#lib/app/create-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createPollFeedsHandler } from '#lib/handlers/poll-feeds.ts';

/** SQS poll-feeds → fetch, parse, classify and store each feed's stories; queue instant alerts. */
export const handler = createPollFeedsHandler(createApp(loadConfig()));
