import type { Context } from 'hono';
import { scheduleDigests } from '../delivery/schedule-digests.ts';
import { createMailer, type Mailer } from '../mail/transport.ts';
import type { DeliveryJob, PollFeedJob } from '../queue/messages.ts';
import { sendMessages } from '../queue/send-batch.ts';
import { FeedbackRepository } from '../store/feedback-repository.ts';
import { LimitRepository } from '../store/limit-repository.ts';
import type { RoundTriggers, WebDependencies } from '../web/dependencies.ts';
import type { AppContext } from './context.ts';
import { mailerConfig } from './delivery-context.ts';
import { resolveTokenSecret } from './token-secret.ts';

const DAY_MS = 86_400_000;

/**
 * Wires the web app to a context: its repositories, a mailer from configuration, the token key and
 * the round triggers over the queues. `clientAddress` is the edge's (Lambda event or local socket).
 */
export function createWebDependencies(
  context: AppContext,
  options: { clientAddress: (c: Context) => string | undefined; mailer?: Mailer; now?: () => Date },
): WebDependencies {
  const { config } = context;
  let secret: string | undefined;
  return {
    publicUrl: config.publicUrl,
    adminApiKeyHash: config.adminApiKeyHash,
    topics: context.classifier.pack.topics,
    subscribers: context.subscribers,
    stories: context.stories,
    feeds: context.feeds,
    deliveries: context.deliveries,
    feedback: new FeedbackRepository(context.dynamodb, config.tables.feedback),
    limits: new LimitRepository(context.dynamodb, config.tables.limits),
    mailer:
      options.mailer ??
      createMailer(mailerConfig(config), { from: config.mail.from, replyTo: config.mail.replyTo }),
    tokenSecret: () => {
      secret ??= resolveTokenSecret(config);
      return secret;
    },
    rounds: roundTriggers(context, options.now ?? (() => new Date())),
    clientAddress: options.clientAddress,
    now: options.now ?? (() => new Date()),
    log: context.log,
  };
}

function roundTriggers(context: AppContext, now: () => Date): RoundTriggers {
  return {
    async poll() {
      const at = now().toISOString();
      const feeds = (await context.feeds.list()).filter((feed) => feed.enabled);
      const { sent } = await sendMessages(
        context.sqs,
        await context.queueUrl('pollFeeds'),
        feeds.map((feed) => ({
          id: feed.id,
          body: { feedId: feed.id, scheduledAt: at } satisfies PollFeedJob,
        })),
      );
      return { queued: sent.length };
    },
    async digest(mode) {
      const queueUrl = await context.queueUrl('digests');
      if (mode === 'due') {
        const result = await scheduleDigests({
          subscribers: context.subscribers,
          sqs: context.sqs,
          queueUrl,
          log: context.log,
          now: now(),
        });
        return { queued: result.queued };
      }
      // Each reader's last period, ending now, under a key of its own so it never blocks a scheduled one.
      const end = now();
      const readers = (await context.subscribers.list()).filter(
        (subscriber) => subscriber.status === 'active' && subscriber.frequency !== 'instant',
      );
      const { sent } = await sendMessages(
        context.sqs,
        queueUrl,
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
