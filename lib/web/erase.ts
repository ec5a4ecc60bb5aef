import type { WebDependencies } from './dependencies.ts';
import { confirmationMailKey } from './sign-up.ts';

/**
 * Erases a subscriber: their record, their delivery ledger, their feedback and their sign-up mail
 * log. Afterwards no table holds their id or address.
 */
export async function eraseSubscriber(
  subscriberId: string,
  deps: Pick<WebDependencies, 'subscribers' | 'deliveries' | 'feedback' | 'limits'>,
): Promise<boolean> {
  const existed = await deps.subscribers.remove(subscriberId);
  await Promise.all([
    deps.deliveries.forget(subscriberId),
    deps.feedback.forget(subscriberId),
    deps.limits.forget(confirmationMailKey(subscriberId)),
  ]);
  return existed;
}
