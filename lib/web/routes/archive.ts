import { zValidator } from '@hono/zod-validator';
import type { Hono } from 'hono';
import * as z from 'zod';
import { archiveQuerySchema, loadTopicPage, storyJson, topicAtom } from '#lib/web/archive.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { storyPage, topicPage } from '#lib/web/pages/archive.ts';
import { HttpProblem, notFound, refuseInvalid } from '#lib/web/problem.ts';

const TOPIC_PAGE_SIZE = 20;
const API_PAGE_SIZE = 50;
const ATOM_ENTRIES = 50;

const invalidQuery = refuseInvalid('Invalid query');

/** The story archive: topic and story pages, the JSON API and the Atom feeds. */
export function registerArchiveRoutes(app: Hono, deps: WebDependencies): void {
  const topicsById = new Map(deps.topics.map((topic) => [topic.id, topic]));
  const topicOr404 = (id: string) => {
    const topic = topicsById.get(id);
    if (!topic) throw notFound(`The topic "${id}"`);
    return topic;
  };

  app.get('/topics/:id', zValidator('query', archiveQuerySchema, invalidQuery), async (c) => {
    const topic = topicOr404(c.req.param('id'));
    const query = c.req.valid('query');
    const page = await loadTopicPage(deps, topic.id, query, TOPIC_PAGE_SIZE);
    const explicit = query.since !== undefined || query.until !== undefined;
    let older: string | undefined;
    if (page.nextCursor) {
      const params = new URLSearchParams({ cursor: page.nextCursor });
      if (query.since) params.set('since', page.since.toISOString());
      if (query.until) params.set('until', page.until.toISOString());
      older = `/topics/${topic.id}?${params}`;
    }
    return c.html(
      await topicPage(
        topic,
        page.stories,
        { since: page.since.toISOString(), until: page.until.toISOString(), explicit },
        older,
      ),
    );
  });

  app.get('/stories/:id', async (c) => {
    const id = c.req.param('id');
    const story = /^[\w-]{1,100}$/.test(id) ? await deps.stories.get(id) : undefined;
    if (!story) throw notFound('This story');
    return c.html(await storyPage(story, topicsById));
  });

  app.get('/api/topics', (c) =>
    c.json({
      topics: deps.topics.map((topic) => ({
        id: topic.id,
        name: topic.name,
        description: topic.description,
        links: {
          page: `${deps.publicUrl}/topics/${topic.id}`,
          stories: `${deps.publicUrl}/api/stories?topic=${topic.id}`,
          atom: `${deps.publicUrl}/feeds/${topic.id}.atom`,
        },
      })),
    }),
  );

  app.get(
    '/api/stories',
    zValidator(
      'query',
      archiveQuerySchema.extend({
        topic: z.string({ error: 'required: one topic id (see /api/topics)' }).min(1),
      }),
      invalidQuery,
    ),
    async (c) => {
      const query = c.req.valid('query');
      const topic = topicsById.get(query.topic);
      if (!topic) throw new HttpProblem(400, 'Unknown topic', `No topic "${query.topic}"; see /api/topics.`);
      const page = await loadTopicPage(deps, topic.id, query, API_PAGE_SIZE);
      const next = page.nextCursor
        ? `${deps.publicUrl}/api/stories?${new URLSearchParams({
            topic: topic.id,
            since: page.since.toISOString(),
            until: page.until.toISOString(),
            limit: String(query.limit ?? API_PAGE_SIZE),
            cursor: page.nextCursor,
          })}`
        : null;
      return c.json({
        topic: topic.id,
        since: page.since.toISOString(),
        until: page.until.toISOString(),
        stories: page.stories.map((story) => storyJson(story, deps.publicUrl, topicsById)),
        nextCursor: page.nextCursor ?? null,
        next,
      });
    },
  );

  app.get('/feeds/:file{[a-z0-9_-]+\\.atom}', async (c) => {
    const topic = topicOr404(c.req.param('file').replace(/\.atom$/, ''));
    const page = await loadTopicPage(deps, topic.id, {}, ATOM_ENTRIES);
    return c.body(topicAtom(topic, page.stories, deps.publicUrl, deps.now()), 200, {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    });
  });
}
