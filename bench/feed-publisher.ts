// A stand-in for the outside world in the poll bench: N feeds on 127.0.0.1 that answer after a fixed
// delay (a publisher's round trip), honour conditional GET, and change on command between rounds. It runs
// in its own process so its work and memory are not counted as Cipherwatch's.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PublisherCommand =
  | { type: 'start'; feeds: number; itemsPerFeed: number; delayMs: number }
  | { type: 'update'; everyNth: number; newItems: number }
  | { type: 'stats' };

export type PublisherReply =
  | { type: 'started'; baseUrl: string }
  | { type: 'updated'; feedsChanged: number }
  | { type: 'stats'; ok: number; notModified: number; other: number };

// Two subjects in ten are on the watched topics, near the 18 % relevant in the labelled dev corpus.
const SUBJECTS = [
  'Ministers press messaging apps for access to end-to-end encrypted chats',
  'Council approves new cycle lanes on the high street',
  'Local team wins the regional cup after extra time',
  'Weather service issues warning for heavy rain this weekend',
  'Police expand live facial recognition at railway stations',
  'Bakery celebrates fifty years on the market square',
  'Train operator announces timetable changes for the winter',
  'Museum opens an exhibition of early photography',
  'Hospital trust reports shorter waiting times in emergency care',
  'Farmers market returns to the town square on Saturday',
];

interface FeedState {
  items: string[];
  version: number;
}

function item(feed: number, index: number): string {
  const subject = SUBJECTS[(feed + index) % SUBJECTS.length] ?? '';
  const minute = String(index % 60).padStart(2, '0');
  return `<item>
  <title>${subject} (${feed}-${index})</title>
  <link>https://news${feed}.example.com/2026/11/story-${index}?utm_source=rss</link>
  <guid isPermaLink="false">urn:bench:${feed}:${index}</guid>
  <pubDate>Mon, 30 Nov 2026 07:${minute}:00 +0000</pubDate>
  <description><![CDATA[<p>${subject}. Officials said on Monday that the proposal &mdash; first floated last year &mdash;
  would be <b>revised</b> after criticism from civil-society groups and independent experts.</p>]]></description>
</item>`;
}

function document(feed: number, state: FeedState): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bench Wire ${feed}</title><link>https://news${feed}.example.com/</link><language>en</language>
${state.items.join('\n')}
</channel></rss>`;
}

const feeds: FeedState[] = [];
let delayMs = 100;
const stats = { ok: 0, notModified: 0, other: 0 };

const server = createServer((request, response) => {
  const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
  const index = match ? Number(match[1]) : -1;
  const state = feeds[index];
  setTimeout(() => {
    if (!state) {
      stats.other++;
      response.writeHead(404).end();
      return;
    }
    const etag = `"${index}-v${state.version}"`;
    if (request.headers['if-none-match'] === etag) {
      stats.notModified++;
      response.writeHead(304, { etag }).end();
      return;
    }
    stats.ok++;
    response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
    response.end(document(index, state));
  }, delayMs);
});

const reply = (message: PublisherReply) => process.send?.(message);

process.on('message', (command: PublisherCommand) => {
  if (command.type === 'start') {
    delayMs = command.delayMs;
    for (let f = 0; f < command.feeds; f++) {
      feeds.push({ items: Array.from({ length: command.itemsPerFeed }, (_, i) => item(f, i)), version: 1 });
    }
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      reply({ type: 'started', baseUrl: `http://127.0.0.1:${port}` });
    });
  } else if (command.type === 'update') {
    let changed = 0;
    for (const [f, state] of feeds.entries()) {
      if (f % command.everyNth !== 0) continue;
      const next = state.items.length;
      const added = Array.from({ length: command.newItems }, (_, i) => item(f, next + i));
      state.items = [...added, ...state.items];
      state.version++;
      changed++;
    }
    reply({ type: 'updated', feedsChanged: changed });
  } else if (command.type === 'stats') {
    reply({ type: 'stats', ...stats });
  }
});
process.on('disconnect', () => process.exit(0));
