import path from 'node:path';
import type { Config } from '../config.ts';
import type { DeliveryDependencies } from '../delivery/deliver.ts';
import { StoryWindowReader } from '../delivery/story-window-reader.ts';
import { createMailer, type Mailer, type MailerConfig } from '../mail/transport.ts';
import { DeliveryStateReader } from '../store/delivery-state.ts';
import type { Subscriber } from '../subscriptions/subscriber.ts';
import { signToken } from '../subscriptions/tokens.ts';
import { type AppContext, getAppContext } from './context.ts';
import { loadTokenSecret, resolveTokenSecret } from './token-secret.ts';

let dependencies: DeliveryDependencies | undefined;
let loading: Promise<DeliveryDependencies> | undefined;

/** What sending digests needs, built once per process: mailer, story reader, topic names, link signing. */
export function getDeliveryDependencies(): DeliveryDependencies {
  dependencies ??= createDeliveryDependencies(getAppContext());
  return dependencies;
}

/**
 * The same, with the token key read first where it lives in Secrets Manager (on AWS): once per cold
 * start, before the first message, so signing links never waits on the network.
 */
export function loadDeliveryDependencies(): Promise<DeliveryDependencies> {
  if (dependencies) return Promise.resolve(dependencies);
  loading ??= (async () => {
    const context = getAppContext();
    const tokenSecret = await loadTokenSecret(context.config);
    dependencies ??= createDeliveryDependencies(context, undefined, tokenSecret);
    return dependencies;
  })().finally(() => {
    loading = undefined;
  });
  return loading;
}

export function resetDeliveryDependencies(): void {
  dependencies?.mailer.close();
  dependencies = undefined;
}

/**
 * Builds delivery dependencies over a context; `mailer` may be swapped (previews, tests). Without a
 * `tokenSecret`, the key is resolved locally on first use.
 */
export function createDeliveryDependencies(
  context: AppContext,
  mailer?: Mailer,
  tokenSecret?: string,
): DeliveryDependencies {
  const { config } = context;
  const topics = context.classifier.pack.topics;
  return {
    state: new DeliveryStateReader(context.dynamodb, {
      subscribers: context.config.tables.subscribers,
      deliveries: context.config.tables.deliveries,
    }),
    stories: context.stories,
    deliveries: context.deliveries,
    reader: new StoryWindowReader(context.stories),
    mailer:
      mailer ?? createMailer(mailerConfig(config), { from: config.mail.from, replyTo: config.mail.replyTo }),
    topicNames: new Map(topics.map((topic) => [topic.id, topic.name])),
    alertThresholds: new Map(topics.map((topic) => [topic.id, topic.alertThreshold])),
    linksFor: linkSigner(config, tokenSecret),
  };
}

/** Where mail goes: SES in Lambda, SMTP when SMTP_URL is set, else the data folder's outbox. */
export function mailerConfig(config: Config): MailerConfig {
  switch (config.mail.transport) {
    case 'ses':
      return { kind: 'ses', region: config.region };
    case 'smtp':
      return { kind: 'smtp', url: config.mail.smtpUrl as string };
    case 'outbox':
      return { kind: 'outbox', dir: outboxDir(config) };
  }
}

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, 'outbox');
}

function linkSigner(config: Config, tokenSecret: string | undefined): DeliveryDependencies['linksFor'] {
  let secret = tokenSecret;
  const host = new URL(config.publicUrl).hostname;
  const senderDomain = /@([^>\s]+)>?\s*$/.exec(config.mail.from)?.[1] ?? host;
  return (subscriber: Subscriber) => {
    secret ??= resolveTokenSecret(config);
    const unsubscribe = signToken({ subscriberId: subscriber.id, purpose: 'unsubscribe' }, secret);
    const manage = signToken({ subscriberId: subscriber.id, purpose: 'manage' }, secret);
    return {
      unsubscribeUrl: `${config.publicUrl}/unsubscribe?token=${unsubscribe}`,
      manageUrl: `${config.publicUrl}/manage?token=${manage}`,
      unsubscribeMailto: `mailto:unsubscribe@${senderDomain}?subject=unsubscribe%20${unsubscribe}`,
      listId: `Cipherwatch digests <digests.${senderDomain}>`,
    };
  };
}
