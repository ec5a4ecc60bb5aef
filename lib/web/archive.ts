import { Feed } from 'feed';
import * as z from 'zod';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import type { Story } from '#lib/stories/story.ts';
import type { WebDependencies } from './dependencies.ts';
import { whyLine } from './pages/story-list.ts';
import { HttpProblem } from './problem.ts';

const DAY_MS = 86_400_000;
/** The topic index keeps 90 days; the archive looks no further back unless asked. */
const DEFAULT_LOOKBACK_MS = 90 * DAY_MS;

const isoTime = (name: string) =>
  z
    .string()
    .trim()
    .refine(
      (text) => !Number.isNaN(Date.parse(text)),
      `${name} must be an ISO 8601 time, e.g. 2026-11-30T08:00:00Z`,
    )
    .transform((text) => new Date(text));

/** The archive's query: the contract's `since`/`until` window, a page size and a cursor. */
export const archiveQuerySchema = z.object({
  since: isoTime('since').optional(),
  until: isoTime('until').optional(),
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int('limit must be a whole number from 1 to 100')
    .min(1, 'limit must be a whole number from 1 to 100')
    .max(100, 'limit must be a whole number from 1 to 100')
    .optional(),
  cursor: z
    .string()
    .max(200, 'cursor is not one this API gave out')
    .regex(/^[\w-]+$/, 'cursor is not one this API gave out')
    .optional(),
});
export type ArchiveQuery = z.infer<typeof archiveQuerySchema>;

export interface StoryPage {
  stories: Story[];
  nextCursor: string | undefined;
  since: Date;
  until: Date;
}

/** A page of a topic's stories, newest first, in [since, until). */
export async function loadTopicPage(
  deps: Pick<WebDependencies, 'stories' | 'now'>,
  topicId: string,
  query: ArchiveQuery,
  defaultLimit: number,
): Promise<StoryPage> {
  const until = query.until ?? new Date(deps.now().getTime() + 60_000);
  const since = query.since ?? new Date(until.getTime() - DEFAULT_LOOKBACK_MS);
  if (since.getTime() >= until.getTime()) {
    throw new HttpProblem(400, 'Empty time range', '`since` must be earlier than `until`.');
  }
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const { entries, cursor } = await deps.stories.topicPage(topicId, {
    since,
    until,
    limit: query.limit ?? defaultLimit,
    before,
  });
  const byId = new Map((await deps.stories.getMany(entries.map((e) => e.storyId))).map((s) => [s.id, s]));
  return {
    stories: entries.map((entry) => byId.get(entry.storyId)).filter((story) => story !== undefined),
    nextCursor: cursor === undefined ? undefined : Buffer.from(cursor, 'utf8').toString('base64url'),
    since,
    until,
  };
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z#[\w-]+$/.test(decoded)) {
    throw new HttpProblem(
      400,
      'Invalid cursor',
      'The cursor is not one this API gave out; start again without it.',
    );
  }
  return decoded;
}

/** A story as the JSON API shows it: canonical URL first, sources, and the why of each topic. */
export function storyJson(story: Story, publicUrl: string, topics: ReadonlyMap<string, TopicDefinition>) {
  return {
    id: story.id,
    title: story.title,
    summary: story.summary,
    canonicalUrl: story.canonicalUrl,
    link: story.link,
    publishedAt: story.publishedAt,
    firstSeenAt: story.firstSeenAt,
    language: story.language,
    sources: story.sources.map((source) => ({ name: source.feedName, link: source.link })),
    topics: story.topics.map((match) => ({
      id: match.id,
      score: match.score,
      why: whyLine(story, topics.get(match.id) ?? { id: match.id, name: match.id }),
    })),
    url: `${publicUrl}/stories/${story.id}`,
  };
}

/** A topic's classified stream as Atom 1.0: each entry links to the publisher's canonical URL. */
export function topicAtom(
  topic: TopicDefinition,
  stories: readonly Story[],
  publicUrl: string,
  now: Date,
): string {
  const newest = stories
    .map((story) => story.firstSeenAt)
    .sort()
    .at(-1);
  const feed = new Feed({
    id: `${publicUrl}/topics/${topic.id}`,
    title: `Cipherwatch: ${topic.name}`,
    description: topic.description,
    link: `${publicUrl}/topics/${topic.id}`,
    feedLinks: { atom: `${publicUrl}/feeds/${topic.id}.atom` },
    updated: newest ? new Date(newest) : now,
    generator: 'Cipherwatch',
    copyright: 'Headlines and summaries belong to their publishers.',
  });
  for (const story of stories) {
    feed.addItem({
      id: `${publicUrl}/stories/${story.id}`,
      title: story.title,
      link: story.canonicalUrl,
      date: new Date(story.firstSeenAt),
      published: new Date(story.publishedAt),
      description: `${story.summary}${story.summary ? ' — ' : ''}${whyLine(story, topic)}`,
      author: story.sources.slice(0, 1).map((source) => ({ name: source.feedName })),
    });
  }
  return feed.atom1();
}
