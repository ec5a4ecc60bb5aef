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
 * item is twenty minutes old: fixed files, yet always fresh news when the demo runs. The dates in
 * story URLs (`/2026/03/29/`, `/2026/mar/29/`) move with them, so a link agrees with its story's date.
 */
export async function serveDemoFeeds(now: Date = new Date()): Promise<DemoFeedServer> {
  const catalog = catalogSchema.parse(parse(await readFile(`${demoFeedsDir}feeds.yaml`, 'utf8')));
  const files = await Promise.all(catalog.map((entry) => readFile(`${demoFeedsDir}${entry.file}`, 'utf8')));
  const fresh = freshenFeeds(files, now);
  const bodies = new Map<string, { body: string; contentType: string }>();
  catalog.forEach((entry, index) => {
    bodies.set(`/${entry.file}`, { body: fresh[index] ?? '', contentType: CONTENT_TYPES[entry.format] });
  });
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
const ITEM_BLOCKS = /<(item|entry)\b[\s\S]*?<\/\1>/g;
const ITEM_DATE = /<(pubDate|dc:date|published|updated)>([^<]+)<\/\1>/;
const DATED_URL = /https?:\/\/[^\s"<>]*?\/(20\d\d)\/([a-z]{3}|\d\d)\/(\d\d)\/[^\s"<>]*/g;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Shifts every date in the feeds by one amount, so the newest item of all is twenty minutes before
 * `now` (one shift for all, so a story two feeds carry keeps one date), and rewrites the date in each
 * story URL to its item's new date (UTC), the same URL getting the same rewrite in every feed.
 */
export function freshenFeeds(xmls: readonly string[], now: Date): string[] {
  const times = xmls.flatMap((xml) =>
    [...xml.matchAll(DATE_ELEMENTS)].map((match) => Date.parse(match[2] ?? '')).filter(Number.isFinite),
  );
  if (times.length === 0) return [...xmls];
  const shift = now.getTime() - 20 * 60_000 - Math.max(...times);
  const urlRewrites = new Map<string, string>();
  for (const xml of xmls) {
    for (const [block] of xml.matchAll(ITEM_BLOCKS)) {
      const published = Date.parse(ITEM_DATE.exec(block)?.[2] ?? '');
      if (!Number.isFinite(published)) continue;
      const moved = new Date(published + shift);
      for (const [url, , month = ''] of block.matchAll(DATED_URL)) {
        if (urlRewrites.has(url)) continue;
        const newMonth = /^\d\d$/.test(month)
          ? String(moved.getUTCMonth() + 1).padStart(2, '0')
          : (MONTHS[moved.getUTCMonth()] ?? month);
        const datePath = `/${moved.getUTCFullYear()}/${newMonth}/${String(moved.getUTCDate()).padStart(2, '0')}/`;
        urlRewrites.set(url, url.replace(DATED_URL_PATH, datePath));
      }
    }
  }
  return xmls.map((xml) => shiftDates(xml, shift).replace(DATED_URL, (url) => urlRewrites.get(url) ?? url));
}

const DATED_URL_PATH = /\/(20\d\d)\/(?:[a-z]{3}|\d\d)\/\d\d\//;

/** Shifts every date in a feed by the same amount, so the newest is twenty minutes before `now`. */
export function freshenDates(xml: string, now: Date): string {
  return freshenFeeds([xml], now)[0] ?? xml;
}

function shiftDates(xml: string, shift: number): string {
  return xml.replace(DATE_ELEMENTS, (whole, element: string, value: string) => {
    const time = Date.parse(value);
    if (!Number.isFinite(time)) return whole;
    const moved = new Date(time + shift);
    const text =
      element === 'pubDate' || element === 'lastBuildDate' ? moved.toUTCString() : moved.toISOString();
    return `<${element}>${text}</${element}>`;
  });
}
