import { pathToFileURL } from 'node:url';
import type { TopicMatch } from '#lib/classify/types.ts';
import { composeDigest } from '#lib/digest/compose.ts';
import { renderDigest } from '#lib/digest/render.ts';
import type { Story } from '#lib/stories/story.ts';
import type { DigestWindow } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';

const SUBSCRIBERS = 5_000;
const STORIES = 300;
const TOPICS = [
  ['encryption', 'Encryption'],
  ['surveillance', 'Surveillance'],
  ['platforms', 'Platform regulation'],
  ['privacy', 'Privacy law'],
] as const;
const ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
const WINDOW: DigestWindow = {
  start: '2026-03-28T08:00:00.000Z',
  end: '2026-03-29T07:00:00.000Z',
  key: 'daily:2026-03-29',
};

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateStories(next: () => number): Story[] {
  const startMs = Date.parse(WINDOW.start);
  const spanMs = Date.parse(WINDOW.end) - startMs;
  return Array.from({ length: STORIES }, (_, i) => {
    const topicCount = next() < 0.3 ? 2 : 1;
    const topics: TopicMatch[] = [];
    for (let t = 0; t < topicCount; t++) {
      const [id] = TOPICS[Math.floor(next() * TOPICS.length)] ?? TOPICS[0];
      if (topics.some((topic) => topic.id === id)) continue;
      const sentence = `Story ${i} reports that ministers want access to end-to-end encrypted messages.`;
      topics.push({
        id,
        score: 0.3 + next() * 0.7,
        evidence: [{ phrase: 'end-to-end encrypted', sentence }],
      });
    }
    const seenMs = startMs + Math.floor(next() * spanMs);
    const link = `https://news${i % 7}.example/2026/03/story-${i}`;
    return {
      id: `story-${i}`,
      canonicalUrl: link,
      link,
      title: `Story ${i}: home secretary & "security services" <demand> access to encrypted messages`,
      summary: `Summary ${i}. `.repeat(30),
      publishedAt: new Date(seenMs - 600_000).toISOString(),
      language: 'en',
      sources: [{ feedId: `feed-${i % 7}`, feedName: `Outlet ${i % 7}`, link }],
      topics,
      // Roughly one story in ten is a syndicated copy of the one before it.
      clusterId: i > 0 && next() < 0.1 ? `cluster-${i - 1}` : `cluster-${i}`,
      firstSeenAt: new Date(seenMs).toISOString(),
    };
  });
}

function generateSubscribers(next: () => number): Subscriber[] {
  return Array.from({ length: SUBSCRIBERS }, (_, i) => {
    const topics = TOPICS.map(([id]) => id).filter(() => next() < 0.6);
    const roll = next();
    return {
      id: `sub-${i}`,
      email: `reader${i}@example.org`,
      topics: topics.length > 0 ? topics : ['encryption'],
      frequency: 'daily',
      timeZone: ZONES[i % ZONES.length] ?? 'UTC',
      deliveryHour: 8,
      status: 'active',
      createdAt: '2026-01-01T00:00:00.000Z',
      filters:
        roll < 0.2
          ? { minScore: 0.6 }
          : roll < 0.3
            ? { excludeKeywords: ['bitcoin'], includeKeywords: ['home secretary', 'minister'] }
            : undefined,
    };
  });
}

/** Composes and renders a digest round for 5,000 subscribers over 4 topics and ~300 stories; prints digests/s. */
export async function benchDigest(): Promise<void> {
  const next = random(42);
  const stories = generateStories(next);
  const subscribers = generateSubscribers(next);
  const storiesByTopic = new Map<string, Story[]>();
  for (const story of stories) {
    for (const topic of story.topics)
      storiesByTopic.set(topic.id, [...(storiesByTopic.get(topic.id) ?? []), story]);
  }
  const topicNames = new Map<string, string>(TOPICS);
  const alreadySent = new Set(stories.slice(0, 20).map((story) => story.id));

  let sent = 0;
  let bytes = 0;
  const started = performance.now();
  for (const subscriber of subscribers) {
    const digest = composeDigest({ subscriber, window: WINDOW, storiesByTopic, alreadySent, topicNames });
    if (!digest) continue;
    const rendered = renderDigest(digest, {
      subscriber,
      unsubscribeUrl: `https://cipherwatch.example/unsubscribe?token=${subscriber.id}`,
      manageUrl: `https://cipherwatch.example/manage?token=${subscriber.id}`,
      unsubscribeMailto: 'mailto:unsubscribe@cipherwatch.example',
      listId: 'digests.cipherwatch.example',
    });
    sent++;
    bytes += rendered.html.length + rendered.text.length;
  }
  const seconds = (performance.now() - started) / 1000;

  console.log(
    `digest round (pure): ${SUBSCRIBERS} subscribers, ${TOPICS.length} topics, ${STORIES} stories → ` +
      `${sent} digests in ${seconds.toFixed(2)} s = ${Math.round(sent / seconds)} digests/s ` +
      `(avg ${Math.round(bytes / Math.max(sent, 1) / 1024)} KiB per email, target ≥ 200/s)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchDigest();
}
