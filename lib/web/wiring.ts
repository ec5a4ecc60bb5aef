import type { Context } from 'hono';
import type { App } from '#lib/app/create-app.ts';
import { scheduleDigests } from '#lib/delivery/schedule-digests.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import type { RoundTriggers, WebDependencies } from './dependencies.ts';

const DAY_MS = 86_400_000;

/**
 * The web app's dependencies from the composition root's app: its repositories and queues, plus its
 * own feedback and limits tables. No mailer: sign-up mails go through their own queue to the sender. `clientAddress` comes from the edge (the Lambda event's
 * source IP, or the local socket's peer).
 */
export function webDependencies(
  app: App,
  options: { clientAddress: (c: Context) => string | undefined; now?: () => Date },
): WebDependencies {
  const { config } = app;
  const now = options.now ?? (() => new Date());
  return {
    publicUrl: config.publicUrl,
    adminApiKeyHash: config.adminApiKeyHash,
    topics: app.classifier.pack.topics,
    subscribers: app.subscribers,
    stories: app.stories,
    feeds: app.feeds,
    deliveries: app.deliveries,
    feedback: app.feedback,
    limits: app.limits,
    mailQueue: app.queues.signUpMails,
    tokenSecret: app.tokenSecret,
    rounds: roundTriggers(app, now),
    clientAddress: options.clientAddress,
    now,
    log: app.log,
  };
}

function roundTriggers(app: App, now: () => Date): RoundTriggers {
  return {
    async poll() {
      const at = now().toISOString();
      const feeds = (await app.feeds.list()).filter((feed) => feed.enabled);
      const { sent } = await app.queues.pollFeeds.send(
        feeds.map((feed) => ({ id: feed.id, body: { feedId: feed.id, scheduledAt: at } })),
      );
      return { queued: sent.length };
    },
    async digest(mode) {
      if (mode === 'due') {
        const result = await scheduleDigests({
          subscribers: app.subscribers,
          queue: app.queues.digests,
          log: app.log,
          now: now(),
        });
        return { queued: result.queued };
      }
      // Each reader's last period, ending now, under a key of its own so it never blocks a scheduled one.
      const end = now();
      const readers = (await app.subscribers.list()).filter(
        (subscriber) => subscriber.status === 'active' && subscriber.frequency !== 'instant',
      );
      const { sent } = await app.queues.digests.send(
        readers.map((subscriber) => {
          const period = subscriber.frequency === 'weekly' ? 7 * DAY_MS : DAY_MS;
          const body: DeliveryJob = {
            kind: 'digest',
            subscriberId: subscriber.id,
            window: {
              start: new Date(end.getTime() - period).toISOString(),
              end: end.toISOString(),
              key: `${subscriber.frequency}:now-${end.toISOString()}`,
            },
          };
          return { id: subscriber.id, body };
        }),
      );
      return { queued: sent.length };
    },
  };
}
