import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClassifiableText, Classification } from '#lib/classify/types.ts';
import { type PollCommandOptions, type PollReport, registerPollCommand } from '#lib/cli/commands/poll.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';
import { type LocalServer, startLocalServer } from '../../helpers/local-server.ts';
import { describeWithShared, sharedPath } from '../../helpers/shared.ts';

/** Stand-in for the topic classifier: a title mentioning "scanning" is about encryption. */
const stubClassifier = () => ({
  classify: (text: ClassifiableText): Classification =>
    text.title.includes('scanning')
      ? {
          relevant: true,
          topics: [
            {
              id: 'encryption',
              score: 0.87,
              evidence: [{ phrase: 'client-side scanning', sentence: text.title }],
            },
          ],
        }
      : { relevant: false, topics: [] },
});

async function runPoll(args: string[], options: Partial<PollCommandOptions> = {}) {
  let stdout = '';
  let stderr = '';
  const program = new Command('cipherwatch').exitOverride();
  registerPollCommand(program, {
    createClassifier: stubClassifier,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    ...options,
  });
  await program.parseAsync(['poll', ...args], { from: 'user' });
  const exitCode = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { stdout, stderr, exitCode };
}

let server: LocalServer;
beforeEach(async () => {
  process.exitCode = undefined;
  server = await startLocalServer((request, response) => {
    if (request.url === '/feed.xml') {
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(fixtureBytes('rss2.xml'));
    } else {
      response.writeHead(404);
      response.end();
    }
  });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

describe('cipherwatch poll URL', () => {
  it('prints a table with title, published time, topics with scores and the evidence', async () => {
    const { stdout, stderr, exitCode } = await runPoll([server.url('/feed.xml'), '--allow-private-networks']);

    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Example News & Policy');
    expect(stdout).toContain('5 items, 1 relevant');
    expect(stdout).toMatch(
      /2024-05-07 07:30\s+EU lawmakers back client-side scanning rules\s+encryption 0\.87/,
    );
    expect(stdout).toContain(
      'why (encryption): "client-side scanning" in "EU lawmakers back client-side scanning rules"',
    );
  });

  it('prints the JSON contract with --json', async () => {
    const { stdout, exitCode } = await runPoll([
      server.url('/feed.xml'),
      '--json',
      '--allow-private-networks',
    ]);

    const report = JSON.parse(stdout) as PollReport;
    expect(exitCode).toBe(0);
    expect(report.feed).toMatchObject({ title: 'Example News & Policy', finalUrl: server.url('/feed.xml') });
    expect(report.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      title: 'EU lawmakers back client-side scanning rules',
      link: 'https://news.example.com/2024/05/eu-scanning?utm_source=rss&utm_medium=feed&id=7#comments',
      canonicalUrl: 'https://news.example.com/2024/05/eu-scanning?id=7',
      published: '2024-05-07T07:30:00.000Z',
      relevant: true,
      topics: [
        {
          id: 'encryption',
          score: 0.87,
          evidence: [
            { phrase: 'client-side scanning', sentence: 'EU lawmakers back client-side scanning rules' },
          ],
        },
      ],
    });
  });

  it('fails with one error line and exit code 1 when the server answers 404', async () => {
    const { stdout, stderr, exitCode } = await runPoll([server.url('/missing'), '--allow-private-networks']);

    expect(exitCode).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: FeedFetchError: The server answered 404 Not Found\n');
  });

  it('fails with a JSON error object under --json', async () => {
    const { stderr, exitCode } = await runPoll([
      server.url('/missing'),
      '--json',
      '--allow-private-networks',
    ]);

    expect(exitCode).toBe(1);
    expect(JSON.parse(stderr)).toEqual({
      error: { name: 'FeedFetchError', message: 'The server answered 404 Not Found' },
    });
  });

  it('refuses a private address by default and the server sees no connection', async () => {
    const { stderr, exitCode } = await runPoll([server.url('/feed.xml')]);

    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^error: PrivateAddressError: Refusing to connect to 127\.0\.0\.1/);
    expect(server.connections()).toBe(0);
  });

  it('allows private networks when CIPHERWATCH_ALLOW_PRIVATE_NETWORKS=true', async () => {
    vi.stubEnv('CIPHERWATCH_ALLOW_PRIVATE_NETWORKS', 'true');

    const { exitCode } = await runPoll([server.url('/feed.xml')]);

    expect(exitCode).toBe(0);
  });

  it('names the variable when CIPHERWATCH_ALLOW_PRIVATE_NETWORKS holds something else', async () => {
    vi.stubEnv('CIPHERWATCH_ALLOW_PRIVATE_NETWORKS', 'yes');

    const { stderr, exitCode } = await runPoll([server.url('/feed.xml')]);

    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      'error: ConfigError: CIPHERWATCH_ALLOW_PRIVATE_NETWORKS must be one of "true", "false" (got "yes").\n',
    );
  });

  it('asks for a URL when given none', async () => {
    const { stderr, exitCode } = await runPoll([]);

    expect(exitCode).toBe(1);
    expect(stderr).toBe('error: UsageError: give the URL of a feed to poll, or --all\n');
  });
});

describe('cipherwatch poll --all', () => {
  it('hands over to runAll with the options and returns its exit code', async () => {
    const runAll = vi.fn(async () => 3);

    const { exitCode } = await runPoll(['--all', '--json', '--allow-private-networks'], { runAll });

    expect(runAll).toHaveBeenCalledWith({ allowPrivateNetworks: true, json: true, defaultFeeds: true });
    expect(exitCode).toBe(3);
  });
});

const corpusRoot = sharedPath('external/feedparser-tests/wellformed');

describeWithShared(
  'external/feedparser-tests/wellformed',
  'cipherwatch poll on the feedparser corpus (rss and atom10, served locally)',
  () => {
    it('succeeds on every feed but the one that declares entities', async () => {
      const files = ['rss', 'atom10'].flatMap((folder) =>
        readdirSync(path.join(corpusRoot, folder)).map((file) => `${folder}/${file}`),
      );
      const corpus = await startLocalServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(readFileSync(path.join(corpusRoot, request.url ?? '')));
      });
      const failures: string[] = [];
      try {
        for (const file of files) {
          const { stderr, exitCode } = await runPoll([
            corpus.url(`/${file}`),
            '--json',
            '--allow-private-networks',
          ]);
          if (exitCode !== 0) failures.push(`${file}: ${stderr.trim()}`);
        }
      } finally {
        await corpus.close();
      }
      console.log(
        `poll corpus: ${files.length - failures.length} of ${files.length} succeeded\n  ${failures.join('\n  ')}`,
      );

      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/^rss\/entity_in_doctype\.xml: .*FeedParseError/);
    }, 120_000);
  },
);
