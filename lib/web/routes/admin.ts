import { createHash, timingSafeEqual } from 'node:crypto';
import { zValidator } from '@hono/zod-validator';
import type { Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { InvalidFeedUrlError, newFeed } from '#lib/feeds/feed.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { eraseSubscriber } from '#lib/web/erase.ts';
import { HttpProblem, refuseInvalid } from '#lib/web/problem.ts';

const invalidBody = refuseInvalid('Invalid request body');

const newFeedSchema = z.object({
  url: z.string({ error: 'required: the feed URL' }).min(1).max(2048),
  name: z.string().trim().max(200).optional(),
  language: z.string().trim().max(20).optional(),
});
const digestRoundSchema = z.object({ mode: z.enum(['due', 'now']).default('due') }).default({ mode: 'due' });

/**
 * The operator's API under /api/admin/: feeds, subscribers and rounds. Every request needs the admin
 * key (`Authorization: Bearer <key>`), whose SHA-256 is compared in constant time with the configured
 * hash; without a configured hash the API refuses everything.
 */
export function registerAdminRoutes(app: Hono, deps: WebDependencies): void {
  app.use('/api/admin/*', requireAdminKey(deps.adminApiKeyHash));

  app.get('/api/admin/feeds', async (c) => c.json({ feeds: await deps.feeds.list() }));

  app.post('/api/admin/feeds', zValidator('json', newFeedSchema, invalidBody), async (c) => {
    const input = c.req.valid('json');
    let feed: ReturnType<typeof newFeed>;
    try {
      feed = newFeed(input, deps.now());
    } catch (error) {
      if (error instanceof InvalidFeedUrlError) throw new HttpProblem(400, 'Invalid feed URL', error.message);
      throw error;
    }
    if (!(await deps.feeds.add(feed))) {
      throw new HttpProblem(409, 'Feed already registered', `${feed.url} is already in the registry.`, {
        id: feed.id,
      });
    }
    return c.json({ feed }, 201);
  });

  app.delete('/api/admin/feeds/:id', async (c) => {
    if (!(await deps.feeds.remove(c.req.param('id')))) throw noFeed(c.req.param('id'));
    return c.body(null, 204);
  });

  for (const enabled of [true, false]) {
    app.post(`/api/admin/feeds/:id/${enabled ? 'enable' : 'disable'}`, async (c) => {
      const id = c.req.param('id');
      const changed = await deps.feeds.setEnabled(
        id,
        enabled,
        enabled ? undefined : 'Disabled by an operator.',
        deps.now(),
      );
      if (!changed) throw noFeed(id);
      return c.json({ feed: await deps.feeds.get(id) });
    });
  }

  app.get('/api/admin/subscribers', async (c) => c.json({ subscribers: await deps.subscribers.list() }));

  app.get('/api/admin/subscribers.csv', async (c) =>
    c.body(subscribersCsv(await deps.subscribers.list()), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="cipherwatch-subscribers.csv"',
    }),
  );

  app.delete('/api/admin/subscribers/:id', async (c) => {
    const given = c.req.param('id');
    const id = given.includes('@') ? subscriberIdFor(given) : given;
    if (!(await eraseSubscriber(id, deps))) {
      throw new HttpProblem(404, 'No such subscriber', `No subscriber ${given}.`);
    }
    return c.body(null, 204);
  });

  app.post('/api/admin/rounds/poll', async (c) =>
    c.json({ round: 'poll', ...(await deps.rounds.poll()) }, 202),
  );

  app.post('/api/admin/rounds/digest', async (c) => {
    const raw = (await c.req.text()).trim();
    let body: unknown = {};
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new HttpProblem(400, 'Invalid request body', 'Send JSON such as {"mode": "now"}, or no body.');
      }
    }
    const parsed = digestRoundSchema.safeParse(body);
    invalidBody(parsed);
    const mode = parsed.success ? parsed.data.mode : 'due';
    return c.json({ round: 'digest', mode, ...(await deps.rounds.digest(mode)) }, 202);
  });
}

function noFeed(id: string): HttpProblem {
  return new HttpProblem(404, 'No such feed', `No feed with id ${id}; GET /api/admin/feeds lists them.`);
}

function requireAdminKey(expectedHash: string | undefined): MiddlewareHandler {
  const expected = expectedHash ? Buffer.from(expectedHash, 'hex') : undefined;
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const key = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const given = key ? createHash('sha256').update(key, 'utf8').digest() : undefined;
    if (!expected || !given || !timingSafeEqual(given, expected)) {
      throw new HttpProblem(
        401,
        'Admin key required',
        expected
          ? 'Send the admin API key as "Authorization: Bearer <key>".'
          : 'The admin API is switched off: set CIPHERWATCH_ADMIN_API_KEY_HASH to enable it.',
        {},
        { 'WWW-Authenticate': 'Bearer realm="cipherwatch-admin"' },
      );
    }
    await next();
  };
}

const CSV_COLUMNS = [
  'id',
  'email',
  'status',
  'topics',
  'frequency',
  'timeZone',
  'deliveryHour',
  'deliveryWeekday',
  'createdAt',
] as const;

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function subscribersCsv(subscribers: readonly Subscriber[]): string {
  const cell = (value: unknown) => {
    let text = Array.isArray(value) ? value.join(' ') : value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = subscribers.map((s) => CSV_COLUMNS.map((column) => cell(s[column])).join(','));
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
