import type { Hono } from 'hono';
import { html } from 'hono/html';
import { loadTopicPage } from '#lib/web/archive.ts';
import { formCsrfGuard } from '#lib/web/csrf.ts';
import { SITE_CSS, TIMEZONE_SCRIPT } from '#lib/web/css.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { homePage } from '#lib/web/pages/home.ts';
import { messagePage } from '#lib/web/pages/layout.ts';
import { HttpProblem, wantsJson } from '#lib/web/problem.ts';
import { signUp } from '#lib/web/sign-up.ts';

const ACCEPTED = {
  status: 'accepted',
  message:
    'Thank you. If the address can receive Cipherwatch digests, a message is on its way to it: open the link inside to confirm.',
} as const;
const DAY_MS = 86_400_000;

/** The home page, the sign-up endpoint and the two static files. */
export function registerPublicRoutes(app: Hono, deps: WebDependencies): void {
  const csrfGuard = formCsrfGuard(deps.publicUrl);

  app.get('/site.css', (c) =>
    c.body(SITE_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );
  app.get('/timezone.js', (c) =>
    c.body(TIMEZONE_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );

  app.get('/', async (c) => c.html(await homePage(deps.topics, await latestByTopic(deps))));

  app.post('/subscriptions', csrfGuard, async (c) => {
    const json = wantsJson(c);
    const input = json ? await readJson(c.req.raw) : await c.req.parseBody({ all: true });
    const outcome = await signUp(input, deps.clientAddress(c), deps);
    if (outcome.kind === 'limited') {
      throw new HttpProblem(
        429,
        'Too many sign-ups',
        'Too many sign-ups came from your network in the last hour. Please try again later.',
        {},
        { 'Retry-After': '3600' },
      );
    }
    if (outcome.kind === 'invalid') {
      if (json) {
        throw new HttpProblem(400, 'The sign-up form has mistakes', 'Please correct the fields listed.', {
          errors: outcome.issues,
        });
      }
      return c.html(
        await homePage(deps.topics, await latestByTopic(deps), { values: input, issues: outcome.issues }),
        400,
      );
    }
    if (json) return c.json(ACCEPTED, 202);
    return c.html(
      await messagePage(
        'Check your inbox',
        ACCEPTED.message,
        html`<p class="muted">Nothing arrived? Look in your spam folder; the link works for 7 days.</p>`,
      ),
      202,
    );
  });
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await request.json();
    if (typeof body === 'object' && body !== null && !Array.isArray(body))
      return body as Record<string, unknown>;
  } catch {
    // Falls through to the same answer as a body that is not an object.
  }
  throw new HttpProblem(
    400,
    'Not a JSON object',
    'Send the sign-up as a JSON object, e.g. {"email": "…", "topics": ["encryption"]}.',
  );
}

async function latestByTopic(deps: WebDependencies) {
  const now = deps.now();
  const pages = await Promise.all(
    deps.topics.map((topic) =>
      loadTopicPage(deps, topic.id, { since: new Date(now.getTime() - 7 * DAY_MS) }, 5).then(
        (page) => [topic.id, page.stories] as const,
      ),
    ),
  );
  return new Map(pages);
}
