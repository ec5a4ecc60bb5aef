import { composeDigest } from '#lib/digest/compose.ts';
import { type RenderedEmail, renderDigest } from '#lib/digest/render.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import type { DeliveryDependencies } from './deliver.ts';

/**
 * What a subscriber would receive for the window ending now: composed and rendered exactly as a
 * digest is, minus the claim, the send and the record. Undefined when the window holds nothing new.
 */
export async function previewDigest(
  subscriber: Subscriber,
  windowMs: number,
  deps: Pick<DeliveryDependencies, 'reader' | 'deliveries' | 'topicNames' | 'linksFor'>,
  now: Date = new Date(),
): Promise<RenderedEmail | undefined> {
  const window = {
    start: new Date(now.getTime() - windowMs).toISOString(),
    end: now.toISOString(),
    key: `preview:${now.toISOString()}`,
  };
  const storiesByTopic = await deps.reader.storiesByTopic(subscriber.topics, new Date(window.start), now);
  const alreadySent = (await deps.deliveries.ledger(subscriber.id)).sent;
  const digest = composeDigest({
    subscriber,
    window,
    storiesByTopic,
    alreadySent,
    topicNames: deps.topicNames,
  });
  return digest && renderDigest(digest, { subscriber, ...deps.linksFor(subscriber) });
}
