import { handle } from 'hono/aws-lambda';
import { getAppContext } from '../lib/app/context.ts';
import { createWebDependencies } from '../lib/app/web-context.ts';
import { createWebApp } from '../lib/web/app.ts';

interface GatewayEnv {
  event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
}

/** API Gateway HTTP API: the web pages, the public API and the admin API, one Hono app. */
const app = createWebApp(
  createWebDependencies(getAppContext(), {
    // API Gateway's view of the caller: X-Forwarded-For can be forged, the request context cannot.
    clientAddress: (c) => {
      const request = (c.env as GatewayEnv | undefined)?.event?.requestContext;
      return request?.http?.sourceIp ?? request?.identity?.sourceIp;
    },
  }),
);

export const handler = handle(app);
