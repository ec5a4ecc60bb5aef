import type { MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { HttpProblem } from './problem.ts';

/**
 * Refuses form POSTs that another site made the browser send: the Origin must be this app's (its public
 * URL, or the address it was reached at), or the browser must say the request is same-origin.
 */
export function formCsrfGuard(publicUrl: string): MiddlewareHandler {
  const publicOrigin = new URL(publicUrl).origin;
  const check = csrf({
    origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin,
    secFetchSite: ['same-origin'],
  });
  return async (c, next) => {
    try {
      await check(c, async () => {});
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) {
        throw new HttpProblem(
          403,
          'This form was sent from another site',
          'For your safety, Cipherwatch only accepts its forms from its own pages. Open the page again and press the button there.',
        );
      }
      throw error;
    }
    await next();
  };
}
