import { createCoreApp } from '#lib/app/core-app.ts';
import { loadConfig } from '#lib/config.ts';
import { createPollFeedsHandler } from '#lib/handlers/poll-feeds.ts';

/** SQS poll-feeds → fetch, parse, classify and store each feed's stories; queue instant alerts. */
export const handler = createPollFeedsHandler(createCoreApp(loadConfig()));
