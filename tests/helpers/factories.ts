import type { TopicMatch } from '#lib/classify/types.ts';
import type { Story } from '#lib/stories/story.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';

/** A stored story with sensible defaults; override what a test is about. */
export function makeStory(overrides: Partial<Story> & { id: string }): Story {
  const link = overrides.link ?? `https://news.example.com/${overrides.id}`;
  return {
    canonicalUrl: link,
    link,
    title: `Story ${overrides.id}`,
    summary: `Summary of story ${overrides.id}.`,
    publishedAt: '2026-03-28T12:00:00.000Z',
    language: 'en',
    sources: [{ feedId: 'feed-courier', feedName: 'The Daily Courier', link }],
    topics: [topicMatch('encryption', 0.8)],
    clusterId: `cluster-${overrides.id}`,
    firstSeenAt: '2026-03-28T12:05:00.000Z',
    ...overrides,
  };
}

/** A topic match with one piece of evidence. */
export function topicMatch(
  id: string,
  score: number,
  phrase = 'end-to-end encryption',
  sentence?: string,
): TopicMatch {
  return { id, score, evidence: [{ phrase, sentence: sentence ?? `Ministers want access to ${phrase}.` }] };
}

/** An active daily subscriber in London at 08:00 on the encryption topic, unless overridden. */
export function makeSubscriber(overrides: Partial<Subscriber> = {}): Subscriber {
  return {
    id: 'sub-1',
    email: 'reader@example.org',
    topics: ['encryption'],
    frequency: 'daily',
    timeZone: 'Europe/London',
    deliveryHour: 8,
    status: 'active',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** `makeSubscriber` for an address, with the id the app derives from it. */
export function subscriberFor(email: string, overrides: Partial<Subscriber> = {}): Subscriber {
  return makeSubscriber({ id: subscriberIdFor(email), email, ...overrides });
}

export const TOPIC_NAMES: ReadonlyMap<string, string> = new Map([
  ['encryption', 'Encryption'],
  ['surveillance', 'Surveillance'],
  ['platforms', 'Platform regulation'],
  ['privacy', 'Privacy law'],
]);
