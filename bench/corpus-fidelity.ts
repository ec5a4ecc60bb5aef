// `npx tsx bench/corpus-fidelity.ts`: how many of the feedparser corpus's simple title, link and date
// expectations the ingestion path meets. Each file is served from a loopback server and read through
// fetch → parse → normalize, as `cipherwatch poll` reads a feed. Prints the totals and every mismatch.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedError } from '#lib/reader/errors.ts';
import { fetchFeed } from '#lib/reader/fetch.ts';
import { type ParsedFeed, parseFeed } from '#lib/reader/parse.ts';
import { type ProcessedFeed, processFeed } from '#lib/stories/process.ts';
import { parsePublished } from '#lib/stories/published.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusRoot = path.resolve(repoRoot, '../shared/external/feedparser-tests/wellformed');
const FOLDERS = ['rss', 'rdf', 'atom', 'atom10'];

interface Outcome {
  processed: ProcessedFeed;
  parsed: ParsedFeed;
}
/** The fetch time parsePublished falls back to: far after every date in the corpus, so none reads as future. */
const NO_DATE = new Date(Date.UTC(2999, 0, 1));

type Check =
  | { kind: 'text'; where: 'feed' | 'entry'; field: 'title' | 'link'; expected: string }
  | { kind: 'date'; field: string; expected: string };

/** The simple checks: a plain-text title or link, or an entry's parsed date tuple. */
function checkFor(expectation: string): Check | undefined {
  const text = /^(?:not bozo and )?(feed|entries\[0\])\['(title|link)'\] == (['"])([^\\<&]*)\3$/.exec(
    expectation,
  );
  if (text?.[1] && text[2] && text[4] !== undefined) {
    return {
      kind: 'text',
      where: text[1] === 'feed' ? 'feed' : 'entry',
      field: text[2] as 'title' | 'link',
      expected: text[4],
    };
  }
  const date =
    /^(?:not bozo and )?entries\[0\]\['(published|updated|created|issued|modified|date)_parsed'\] == \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+),/.exec(
      expectation,
    );
  const iso =
    /^(?:not bozo and )?entries\[0\]\['(published|updated|created|issued|modified|date)'\] == '(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z'$/.exec(
      expectation,
    );
  if (iso?.[1] && iso[2]) return { kind: 'date', field: iso[1], expected: iso[2] };
  if (date?.[1]) {
    const [, field, y, mo, d, h, mi, s] = date.map((part) => part ?? '') as string[];
    const pad = (value: string | undefined) => String(value).padStart(2, '0');
    return {
      kind: 'date',
      field: field ?? '',
      expected: `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`,
    };
  }
  return undefined;
}

function actual(outcome: Outcome, check: Check): string | undefined {
  // Most of the corpus's dated entries have no title, link or id, so normalizing drops them as empty:
  // their date is read from the parsed entry with the same parsePublished that normalizing uses.
  if (check.kind === 'date') {
    const raw = outcome.parsed.items[0];
    return raw === undefined ? undefined : parsePublished(raw.published, NO_DATE).slice(0, 19);
  }
  const processed = outcome.processed;
  if (check.where === 'feed') return check.field === 'title' ? processed.feed.title : processed.feed.link;
  return processed.items[0]?.[check.field];
}

if (!existsSync(corpusRoot)) {
  console.log(`feedparser corpus not found at ${corpusRoot}: nothing to measure`);
  process.exit(0);
}
const files = FOLDERS.flatMap((folder) =>
  readdirSync(path.join(corpusRoot, folder))
    .filter((file) => file.endsWith('.xml'))
    .sort()
    .map((file) => `${folder}/${file}`),
);
const server = createServer((request, response) => {
  const name = decodeURIComponent((request.url ?? '/').slice(1));
  if (!files.includes(name)) {
    response.writeHead(404).end();
    return;
  }
  const bytes = readFileSync(path.join(corpusRoot, name));
  const headers: Record<string, string> = { 'content-type': 'application/xml' };
  for (const match of bytes
    .subarray(0, 2048)
    .toString('latin1')
    .matchAll(/^Header:\s*([^:\s]+):\s*(.+?)\s*$/gm)) {
    if (match[1] && match[2]) headers[match[1].toLowerCase()] = match[2];
  }
  response.writeHead(200, headers).end(bytes);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const tally = { title: { held: 0, total: 0 }, link: { held: 0, total: 0 }, date: { held: 0, total: 0 } };
const mismatches: string[] = [];
let failed = 0;
for (const file of files) {
  const expectation = /^Expect:\s*(.+?)\s*$/m.exec(readFileSync(path.join(corpusRoot, file), 'latin1'))?.[1];
  const check = expectation === undefined ? undefined : checkFor(expectation);
  if (check === undefined) continue;
  const url = `http://127.0.0.1:${port}/${file}`;
  let outcome: Outcome | FeedError;
  try {
    const fetched = await fetchFeed(url, { allowPrivateNetworks: true });
    if (fetched.status !== 'ok') throw new Error(`unexpected ${fetched.status}`);
    outcome = {
      processed: await processFeed(
        fetched.body,
        { id: file, url: fetched.finalUrl, name: file },
        () => ({ relevant: false, topics: [] }),
        new Date(),
      ),
      parsed: await parseFeed(fetched.body, fetched.finalUrl),
    };
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    outcome = error;
  }
  const key = check.kind === 'date' ? 'date' : check.field;
  tally[key].total += 1;
  if (outcome instanceof FeedError) {
    failed += 1;
    mismatches.push(`${file}: ${outcome.name}: ${outcome.message}`);
    continue;
  }
  const got = actual(outcome, check);
  const wanted =
    check.kind === 'text' && check.field === 'link' && URL.canParse(check.expected)
      ? new URL(check.expected).href
      : check.expected;
  if (got === wanted) tally[key].held += 1;
  else mismatches.push(`${file} ${key}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}`);
}
server.close();

const held = tally.title.held + tally.link.held + tally.date.held;
const total = tally.title.total + tally.link.total + tally.date.total;
console.log(
  `feedparser corpus (${FOLDERS.join(', ')}): ${held} of ${total} simple expectations hold ` +
    `(titles ${tally.title.held}/${tally.title.total}, links ${tally.link.held}/${tally.link.total}, ` +
    `dates ${tally.date.held}/${tally.date.total}; ${failed} feeds failed to parse)`,
);
for (const line of mismatches) console.log(`  ${line}`);
