import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import * as z from 'zod';

const demoFeedsDir = fileURLToPath(new URL('../../config/demo-feeds/', import.meta.url));

const catalogSchema = z.array(
  z.object({
    file: z.string().regex(/^[\w.-]+$/),
    name: z.string().min(1),
    format: z.enum(['rss2', 'rss1', 'atom']),
  }),
);

export interface DemoFeed {
  name: string;
  url: string;
}

export interface DemoFeedServer {
  feeds: DemoFeed[];
  close(): Promise<void>;
}

const CONTENT_TYPES = {
  rss2: 'application/rss+xml',
  rss1: 'application/rdf+xml',
  atom: 'application/atom+xml',
};

/**
 * Serves the sample feeds in config/demo-feeds on 127.0.0.1, with every date moved so the newest
 * item is twenty minutes old: fixed files, yet always fresh news when the demo runs.
 */
export async function serveDemoFeeds(now: Date = new Date()): Promise<DemoFeedServer> {
  const catalog = catalogSchema.parse(parse(await readFile(`${demoFeedsDir}feeds.yaml`, 'utf8')));
  const bodies = new Map<string, { body: string; contentType: string }>();
  for (const entry of catalog) {
    const xml = await readFile(`${demoFeedsDir}${entry.file}`, 'utf8');
    bodies.set(`/${entry.file}`, { body: freshenDates(xml, now), contentType: CONTENT_TYPES[entry.format] });
  }
  const server: Server = createServer((request, response) => {
    const feed = bodies.get(request.url ?? '');
    if (!feed) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': `${feed.contentType}; charset=utf-8` }).end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    feeds: catalog.map((entry) => ({ name: entry.name, url: `http://127.0.0.1:${port}/${entry.file}` })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const DATE_ELEMENTS = /<(pubDate|dc:date|updated|published|lastBuildDate)>([^<]+)<\/\1>/g;

/** Shifts every date in a feed by the same amount, so the newest is twenty minutes before `now`. */
export function freshenDates(xml: string, now: Date): string {
  const times = [...xml.matchAll(DATE_ELEMENTS)]
    .map((match) => Date.parse(match[2] ?? ''))
    .filter(Number.isFinite);
  if (times.length === 0) return xml;
  const shift = now.getTime() - 20 * 60_000 - Math.max(...times);
  return xml.replace(DATE_ELEMENTS, (whole, element: string, value: string) => {
    const time = Date.parse(value);
    if (!Number.isFinite(time)) return whole;
    const moved = new Date(time + shift);
    const text =
      element === 'pubDate' || element === 'lastBuildDate' ? moved.toUTCString() : moved.toISOString();
    return `<${element}>${text}</${element}>`;
  });
}
