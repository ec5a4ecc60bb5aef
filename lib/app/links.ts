import type { Config } from '#lib/config.ts';
import type { DeliveryDependencies } from '#lib/delivery/deliver.ts';
import { senderDomain } from '#lib/mail/transport.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { signToken } from '#lib/subscriptions/tokens.ts';

/** Signed unsubscribe, manage and per-story feedback links for a subscriber. */
export function linkSigner(config: Config, tokenSecret: () => string): DeliveryDependencies['linksFor'] {
  const host = new URL(config.publicUrl).hostname;
  const mailDomain = senderDomain(config.mail.from) ?? host;
  return (subscriber: Subscriber) => {
    const secret = tokenSecret();
    const unsubscribe = signToken({ subscriberId: subscriber.id, purpose: 'unsubscribe' }, secret);
    const manage = signToken({ subscriberId: subscriber.id, purpose: 'manage' }, secret);
    return {
      unsubscribeUrl: `${config.publicUrl}/unsubscribe?token=${unsubscribe}`,
      manageUrl: `${config.publicUrl}/manage?token=${manage}`,
      unsubscribeMailto: `mailto:unsubscribe@${mailDomain}?subject=unsubscribe%20${unsubscribe}`,
      listId: `Cipherwatch digests <digests.${mailDomain}>`,
      feedbackUrlFor: (storyId: string, topicId: string) =>
        `${config.publicUrl}/feedback?token=${signToken({ subscriberId: subscriber.id, purpose: 'feedback', subject: `${storyId}#${topicId}` }, secret)}`,
      publicUrl: config.publicUrl,
    };
  };
}

/** The signed link that confirms a pending sign-up, valid until `expiresAt`. */
export function confirmLinkSigner(
  config: Config,
  tokenSecret: () => string,
): DeliveryDependencies['confirmUrlFor'] {
  return (subscriber: Subscriber, expiresAt: Date) =>
    `${config.publicUrl}/confirm?token=${signToken({ subscriberId: subscriber.id, purpose: 'confirm', expiresAt }, tokenSecret())}`;
}
