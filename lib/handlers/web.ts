import { handle } from 'hono/aws-lambda';
import type { App } from '#lib/app/create-app.ts';
import { createWebApp } from '#lib/web/app.ts';
import { webDependencies } from '#lib/web/wiring.ts';

interface GatewayEnv {
  event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
}

/** API Gateway HTTP API → the web pages, the public API and the admin API, one Hono app. */
export function createWebHandler(app: App) {
  return handle(
    createWebApp(
      webDependencies(app, {
        // API Gateway's view of the caller: X-Forwarded-For can be forged, the request context cannot.
        clientAddress: (c) => {
          const request = (c.env as GatewayEnv | undefined)?.event?.requestContext;
          return request?.http?.sourceIp ?? request?.identity?.sourceIp;
        },
      }),
    ),
  );
}
