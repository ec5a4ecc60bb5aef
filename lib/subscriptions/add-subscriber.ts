import { nextDigestAt } from './schedule.ts';
import type { Subscriber, SubscriberStatus } from './subscriber.ts';
import type { SubscriberStore } from './subscriber-store.ts';
import { parseSubscriberInput, subscriberIdFor } from './validate.ts';

/** The email is already subscribed; an operator sees this, the public never does. */
export class AlreadySubscribedError extends Error {
  override name = 'AlreadySubscribedError';
  constructor(readonly email: string) {
    super(`${email} is already subscribed (remove it first to start over).`);
  }
}

/**
 * Validates a subscription and stores it, placed in the schedule at its next delivery time.
 * Operators add active subscribers; the public sign-up adds pending ones who confirm by email.
 */
export async function addSubscriber(
  input: unknown,
  deps: {
    subscribers: SubscriberStore;
    topicIds: readonly string[];
    status?: SubscriberStatus;
    now?: Date;
  },
): Promise<Subscriber> {
  const now = deps.now ?? new Date();
  const fields = parseSubscriberInput(input, deps.topicIds);
  const subscriber: Subscriber = {
    id: subscriberIdFor(fields.email),
    ...fields,
    status: deps.status ?? 'active',
    createdAt: now.toISOString(),
  };
  const next = nextDigestAt(subscriber, now)?.toISOString();
  if (!(await deps.subscribers.create(subscriber, next))) throw new AlreadySubscribedError(subscriber.email);
  return subscriber;
}
