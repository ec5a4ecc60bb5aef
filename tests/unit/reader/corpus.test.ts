import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FeedError } from '#lib/reader/errors.ts';
import { fetchFeed } from '#lib/reader/fetch.ts';
import { type ProcessedFeed, processFeed } from '#lib/stories/process.ts';
import { type LocalServer, startLocalServer } from '../../helpers/local-server.ts';
import { describeWithShared, sharedPath } from '../../helpers/shared.ts';

const corpusRoot = sharedPath('external/feedparser-tests/wellformed');

const FOLDERS = ['rss', 'atom10'];
const notClassified = () => ({ relevant: false, topics: [] });

interface CorpusCase {
  name: string;
  bytes: Buffer;
  headers: Record<string, string>;
  expect: string | undefined;
}

/** Reads a corpus file and its comment header (`Header:` lines to serve with, the `Expect:` line). */
function readCase(folder: string, file: string): CorpusCase {
  const bytes = readFileSync(path.join(corpusRoot, folder, file));
  const head = bytes.subarray(0, 2048).toString('latin1');
  const headers: Record<string, string> = {};
  for (const match of head.matchAll(/^Header:\s*([^:\s]+):\s*(.+?)\s*$/gm)) {
    if (match[1] && match[2]) headers[match[1].toLowerCase()] = match[2];
  }
  return { name: `${folder}/${file}`, bytes, headers, expect: /^Expect:\s*(.+?)\s*$/m.exec(head)?.[1] };
}

type Field = 'title' | 'link' | 'language' | 'id' | 'guid';

/** Translates the simple `Expect:` checks (a plain-text title, link, language or id) into [where, field, value]. */
function simpleExpectation(expectation: string | undefined): ['feed' | 'entry', Field, string] | undefined {
  const match =
    /^(?:not bozo and )?(feed|entries\[0\])\['(title|link|language|id|guid)'\] == (['"])([^\\<&]*)\3$/.exec(
      expectation ?? '',
    );
  if (match?.[1] === undefined || match[2] === undefined || match[4] === undefined) return undefined;
  return [match[1] === 'feed' ? 'feed' : 'entry', match[2] as Field, match[4]];
}

function actualValue(outcome: ProcessedFeed, where: 'feed' | 'entry', field: Field): string | undefined {
  if (where === 'feed') {
    if (field === 'title') return outcome.feed.title;
    if (field === 'link') return outcome.feed.link;
    if (field === 'language') return outcome.feed.language;
    return undefined;
  }
  const item = outcome.items[0];
  if (field === 'id' || field === 'guid') return item?.guid;
  if (field === 'title' || field === 'link' || field === 'language') return item?.[field];
  return undefined;
}

describeWithShared(
  'external/feedparser-tests/wellformed',
  'feedparser conformance corpus (wellformed rss and atom10, served locally)',
  () => {
    const cases = existsSync(corpusRoot)
      ? FOLDERS.flatMap((folder) =>
          readdirSync(path.join(corpusRoot, folder))
            .filter((file) => file.endsWith('.xml'))
            .sort()
            .map((file) => readCase(folder, file)),
        )
      : [];
    const byPath = new Map(cases.map((item) => [`/${item.name}`, item]));
    const outcomes = new Map<string, ProcessedFeed | FeedError>();
    let server: LocalServer;

    beforeAll(async () => {
      server = await startLocalServer((request, response) => {
        const item = byPath.get(request.url ?? '');
        if (item === undefined) {
          response.writeHead(404);
          response.end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/xml', ...item.headers });
        response.end(item.bytes);
      });
      for (const item of cases) {
        const url = server.url(`/${item.name}`);
        try {
          const fetched = await fetchFeed(url, { allowPrivateNetworks: true });
          if (fetched.status !== 'ok') throw new Error(`unexpected ${fetched.status}`);
          const feed = { id: item.name, url: fetched.finalUrl, name: item.name };
          outcomes.set(item.name, await processFeed(fetched.body, feed, notClassified, new Date()));
        } catch (error) {
          // Anything but a typed FeedError is a crash: let it fail the run loudly.
          if (!(error instanceof FeedError))
            throw new Error(`${item.name} crashed: ${String(error)}`, { cause: error });
          outcomes.set(item.name, error);
        }
      }
    }, 120_000);

    afterAll(async () => {
      await server?.close();
    });

    it('parses nearly every feed, and the rest fail with a typed FeedError', () => {
      const failures = [...outcomes].filter(
        (entry): entry is [string, FeedError] => entry[1] instanceof FeedError,
      );
      console.log(
        `corpus: ${outcomes.size - failures.length} of ${outcomes.size} parsed` +
          failures.map(([name, error]) => `\n  ${name}: ${error.name}: ${error.message}`).join(''),
      );

      expect(outcomes.size).toBe(cases.length);
      expect(outcomes.size - failures.length).toBeGreaterThanOrEqual(Math.floor(cases.length * 0.98));
    });

    it('refuses the corpus feed that declares its own entities', () => {
      expect(outcomes.get('rss/entity_in_doctype.xml')).toMatchObject({ name: 'FeedParseError' });
    });

    it('matches the simple title, link, language and id expectations of the corpus', () => {
      const mismatches: string[] = [];
      let checked = 0;
      for (const item of cases) {
        const expectation = simpleExpectation(item.expect);
        const outcome = outcomes.get(item.name);
        if (expectation === undefined || outcome === undefined || outcome instanceof FeedError) continue;
        const [where, field, expected] = expectation;
        if (where === 'feed' && field !== 'title' && field !== 'link' && field !== 'language') continue;
        const actual = actualValue(outcome, where, field);
        // Links come back in WHATWG form (host lowercased), which names the same resource.
        const wanted = field === 'link' && URL.canParse(expected) ? new URL(expected).href : expected;
        checked += 1;
        if (actual !== wanted) {
          mismatches.push(
            `${item.name} ${where} ${field}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`,
          );
        }
      }
      console.log(
        `corpus expectations: ${checked - mismatches.length} of ${checked} match\n  ${mismatches.join('\n  ')}`,
      );

      expect(checked).toBeGreaterThan(10);
      expect(mismatches).toEqual([]);
    });
  },
);
