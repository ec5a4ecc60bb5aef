import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll } from 'vitest';

/** One path the server answers, changeable between rounds. */
export interface ServedFeed {
  body: Buffer | string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  gzip?: boolean;
  /** Answer with this status and no feed (e.g. 500 while "down"). */
  failWith?: number | undefined;
}

export interface FeedServer {
  url(path: string): string;
  feeds: Map<string, ServedFeed>;
  requests: { path: string; headers: IncomingHttpHeaders; status: number }[];
  close(): Promise<void>;
}

/**
 * A feed publisher on 127.0.0.1 that honours conditional GET (ETag / Last-Modified → 304) and gzip,
 * and records every request, so tests can see what the fetcher sent.
 */
export async function startFeedServer(): Promise<FeedServer> {
  const feeds = new Map<string, ServedFeed>();
  const requests: FeedServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    const feed = feeds.get(path);
    const answer = (status: number, headers: Record<string, string> = {}, body?: Buffer) => {
      requests.push({ path, headers: request.headers, status });
      response.writeHead(status, headers);
      response.end(body);
    };
    if (!feed) return answer(404);
    if (feed.failWith) return answer(feed.failWith, { 'content-type': 'text/plain' }, Buffer.from('down'));
    const validators: Record<string, string> = {};
    if (feed.etag) validators.etag = feed.etag;
    if (feed.lastModified) validators['last-modified'] = feed.lastModified;
    const matches =
      (feed.etag && request.headers['if-none-match'] === feed.etag) ||
      (!feed.etag && feed.lastModified && request.headers['if-modified-since'] === feed.lastModified);
    if (matches) return answer(304, validators);
    let body = Buffer.isBuffer(feed.body) ? feed.body : Buffer.from(feed.body, 'utf8');
    const headers: Record<string, string> = {
      'content-type': feed.contentType ?? 'application/rss+xml',
      ...validators,
    };
    if (feed.gzip && /gzip/.test(String(request.headers['accept-encoding']))) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    answer(200, headers, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    feeds,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A feed server for one test file: started before its tests, closed after them. */
export function useFeedServer(): () => FeedServer {
  let server: FeedServer | undefined;
  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('The feed server is not running yet (use it inside a test or hook).');
    return server;
  };
}
