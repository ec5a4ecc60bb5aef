import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { messagePage } from './pages/layout.ts';

/** A request the app refuses, with what a person (or a client) needs to know; mapped at the edge. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${title}: ${detail}`);
  }
}

/** API clients get JSON: the /api/ paths, and requests that sent or asked only for JSON. */
export function wantsJson(c: Context): boolean {
  if (c.req.path.startsWith('/api/')) return true;
  const type = c.req.header('content-type') ?? '';
  const accept = c.req.header('accept') ?? '';
  return type.includes('application/json') || (accept.includes('json') && !accept.includes('text/html'));
}

/** An RFC 9457 problem details response. */
export function problemJson(c: Context, problem: HttpProblem): Response {
  const body = {
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: c.req.path,
    ...problem.extra,
  };
  return c.body(JSON.stringify(body), problem.status, {
    'Content-Type': 'application/problem+json',
    ...problem.headers,
  });
}

/** The problem as JSON for API clients, or as a calm page for a browser. Never a stack trace. */
export async function problemResponse(c: Context, problem: HttpProblem): Promise<Response> {
  if (wantsJson(c)) return problemJson(c, problem);
  const home = html`<p><a href="/">Back to the home page</a></p>`;
  return c.html(await messagePage(problem.title, problem.detail, home), problem.status, problem.headers);
}

export const notFound = (what = 'This page') =>
  new HttpProblem(404, 'Not found', `${what} does not exist, or no longer does. Check the address.`);

interface ValidationResult {
  success: boolean;
  error?: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> };
}

/** A @hono/zod-validator hook: a failed validation becomes a 400 naming the first bad field. */
export const refuseInvalid =
  (title: string) =>
  (result: ValidationResult): void => {
    if (result.success) return;
    const issue = result.error?.issues[0];
    const field = issue?.path.map(String).join('.') || 'input';
    throw new HttpProblem(400, title, issue ? `${field}: ${issue.message}` : title);
  };
