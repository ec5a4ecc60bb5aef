import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { secureHeaders } from 'hono/secure-headers';
import type { WebDependencies } from './dependencies.ts';
import { HttpProblem, notFound, problemResponse } from './problem.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerArchiveRoutes } from './routes/archive.ts';
import { registerFeedbackRoutes } from './routes/feedback.ts';
import { registerLinkRoutes } from './routes/links.ts';
import { registerManageRoutes } from './routes/manage.ts';
import { registerPublicRoutes } from './routes/public.ts';

export type { WebDependencies } from './dependencies.ts';

/** Forms and API bodies are small; anything bigger is refused before it is read. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * The web app: home page and sign-up, the pages behind email links, the story archive with its JSON
 * API and Atom feeds, and the admin API. Built from explicit dependencies, so the same app runs in
 * Lambda (functions/web.ts), in `cipherwatch start` and in tests.
 */
export function createWebApp(deps: WebDependencies): Hono {
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      // Tokens travel in query strings; they must not leak to publishers through the Referer.
      referrerPolicy: 'no-referrer',
    }),
  );
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          c,
          new HttpProblem(
            405,
            'Method not allowed',
            `This address answers ${methods.join(', ')}.`,
            {},
            { Allow: methods.join(', ') },
          ),
        ),
    }),
  );
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HttpProblem(413, 'Too large', 'The request body is larger than Cipherwatch accepts.');
      },
    }),
  );

  registerPublicRoutes(app, deps);
  registerLinkRoutes(app, deps);
  registerManageRoutes(app, deps);
  registerFeedbackRoutes(app, deps);
  registerArchiveRoutes(app, deps);
  registerAdminRoutes(app, deps);

  app.notFound((c) => problemResponse(c, notFound()));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(
        c,
        new HttpProblem(error.status as 400, 'Bad request', 'The request could not be read.'),
      );
    }
    deps.log.error('Web request failed', { path: c.req.path, method: c.req.method, error });
    return problemResponse(
      c,
      new HttpProblem(
        500,
        'Something went wrong on our side',
        'Nothing you did caused this. Please try again in a few minutes.',
      ),
    );
  });
  return app;
}
