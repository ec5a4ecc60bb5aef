import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from '../helpers/cli-process.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { hoursAgo, rss2 } from '../helpers/sample-feeds.ts';

const run = promisify(execFile);
const cli = path.resolve('bin/cipherwatch.js');

describe('cipherwatch start', () => {
  let dataDir: string;
  let server: FeedServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-start-'));
    server = await startFeedServer();
    server.feeds.set('/feed.xml', {
      body: rss2('Local Desk', [
        {
          title: 'GCHQ director warns of hostile state cyber attacks',
          link: 'https://local.example/gchq',
          summary: 'The head of GCHQ spoke.',
          published: hoursAgo(1),
        },
      ]),
    });
    const feedsFile = path.join(dataDir, 'feeds.yaml');
    await writeFile(
      feedsFile,
      `feeds:\n  - { name: Local Desk, url: "${server.url('/feed.xml')}", language: en }\n`,
    );
    // Only loopback: the one feed is the local server, and no AWS endpoint is inherited.
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CIPHERWATCH_FEEDS_FILE: feedsFile,
      CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
      CIPHERWATCH_PORT: String(await freePort()),
    };
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  // Five CLI processes start one after another here; a busy 2-core machine needs more than the default.
  it('starts, polls, stops cleanly on SIGINT and keeps its data across a restart', async () => {
    const first = startCli(['start', '--data-dir', dataDir], env);
    await first.waitFor(/Cipherwatch is running/);
    const [, webUrl] = await first.waitFor(/ {2}web {7}(http:\/\/localhost:\d+)\n/);
    expect(webUrl).toBe(`http://localhost:${env.CIPHERWATCH_PORT}`);
    const home = await fetch(`http://127.0.0.1:${env.CIPHERWATCH_PORT}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Policy news digests · Cipherwatch</title>');
    await first.waitFor(/poll round\s+1 feed: 1 updated/);

    const added = await run(
      process.execPath,
      [cli, 'feeds', 'add', server.url('/added.xml'), '--name', 'Added While Running', '--data-dir', dataDir],
      { env },
    );
    expect(added.stdout).toMatch(/Added Added While Running/);

    // poll --all while start runs: the round is run by poll --all itself, so every feed is counted.
    const round = await run(process.execPath, [cli, 'poll', '--all', '--data-dir', dataDir], { env }).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(round.stdout).toMatch(/^2 feeds: 1 updated, 0 not modified, 1 failed/);
    expect(round.stdout).toMatch(
      /failed {2}Added While Running: FeedFetchError: The server answered 404 Not Found/,
    );

    const second = await run(process.execPath, [cli, 'start', '--data-dir', dataDir], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in second && second.code).toBe(1);
    expect(second.stderr).toMatch(/^error: UsageError: Cipherwatch is already running on .* \(pid \d+\)/);

    first.process.kill('SIGINT');
    expect(await first.exitCode).toBe(0);

    const listed = await run(process.execPath, [cli, 'feeds', 'list', '--json', '--data-dir', dataDir], {
      env,
    });
    const feeds = JSON.parse(listed.stdout) as { name: string; lastSuccessAt?: string }[];
    expect(feeds.map((feed) => feed.name).sort()).toEqual(['Added While Running', 'Local Desk']);
    expect(feeds.find((feed) => feed.name === 'Local Desk')?.lastSuccessAt).toBeDefined();
  }, 90_000);

  it('refuses a wrong configuration value with one line naming the variable', async () => {
    const result = await run(process.execPath, [cli, 'start', '--data-dir', dataDir], {
      env: { ...env, CIPHERWATCH_POLL_INTERVAL_MINUTES: 'often' },
    }).catch((error: { code: number; stderr: string }) => error);

    expect('code' in result && result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'error: ConfigError: CIPHERWATCH_POLL_INTERVAL_MINUTES must be a whole number from 1 to 1440 (got "often").',
    );
  });
});
