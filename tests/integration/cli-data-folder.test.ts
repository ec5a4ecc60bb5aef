import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedLoopbackPort } from '../helpers/closed-port.ts';
import { runCli } from '../helpers/run-cli.ts';

describe('the data folder', () => {
  let root: string;

  beforeAll(async () => {
    // These commands start their own emulators on the folder, as a person's would (no endpoints given).
    root = await mkdtemp(path.join(tmpdir(), 'cipherwatch-folder-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a read-only command on a folder holding no Cipherwatch data, and creates nothing', async () => {
    const mistyped = path.join(root, 'nonexistent', 'deep', 'dir');

    const result = await runCli(['subscribers', 'list', '--data-dir', mistyped]);

    expect(result.failed).toBe(true);
    expect(result.stderr).toBe(
      `error: DataFolderError: ${mistyped} holds no Cipherwatch data (is --data-dir or CIPHERWATCH_HOME mistyped?). \`cipherwatch start\` creates it.\n`,
    );
    expect(result.stdout).toBe('');
    expect(existsSync(mistyped)).toBe(false);
  });

  it('refuses a mistaken subscribers add before creating anything', async () => {
    const fresh = path.join(root, 'never-created');

    const result = await runCli([
      'subscribers',
      'add',
      'a@example.org',
      '--topics',
      'crypto',
      '--data-dir',
      fresh,
    ]);

    expect(result.stderr).toMatch(/^error: UsageError: --topics: unknown topic "crypto" \(choose from /);
    expect(existsSync(fresh)).toBe(false);
  });

  it('says in one line that a path which is a file cannot be the data folder', async () => {
    const file = path.join(root, 'notes.txt');
    await writeFile(file, 'not a folder');

    const direct = await runCli(['feeds', 'list', '--data-dir', file]);
    const below = await runCli([
      'feeds',
      'add',
      'https://news.example/feed.xml',
      '--data-dir',
      path.join(file, 'x'),
    ]);

    expect(direct.stderr).toBe(`error: DataFolderError: ${file} is a file; --data-dir needs a folder.\n`);
    expect(below.stderr).toBe(
      `error: DataFolderError: ${path.join(file, 'x')} cannot be a folder: part of that path is a file.\n`,
    );
  });

  it('seeds the default feeds once, says so, and never brings back one that was removed', async () => {
    const dataDir = path.join(root, 'seeded');
    const feedUrl = `http://127.0.0.1:${await closedLoopbackPort()}/feed.xml`;
    const feedsFile = path.join(root, 'feeds.yaml');
    await writeFile(feedsFile, `feeds:\n  - { name: Local Desk, url: "${feedUrl}" }\n`);
    const env = { CIPHERWATCH_FEEDS_FILE: feedsFile };
    {
      const first = await runCli(['poll', '--all', '--allow-private-networks', '--data-dir', dataDir], env);
      expect(first.stderr).toContain(`Created a new data folder at ${dataDir}.`);
      expect(first.stderr).toContain(`Added 1 default feed from ${feedsFile}`);
      expect(first.stdout).toMatch(/^1 feed: 0 updated, 0 not modified, 1 failed/);

      expect((await runCli(['feeds', 'remove', feedUrl, '--data-dir', dataDir], env)).failed).toBe(false);
      const second = await runCli(['poll', '--all', '--data-dir', dataDir], env);
      expect(second.stderr).not.toContain('default feed');
      expect(second.stdout).toBe('No enabled feeds to poll. Add one with: cipherwatch feeds add URL\n');
      expect(await readFile(path.join(dataDir, 'feeds-seeded'), 'utf8')).toMatch(/added 1 feeds/);
    }
  });

  it('accepts an empty feeds file, and --no-default-feeds, as a way to start with no feeds', async () => {
    const emptyFile = path.join(root, 'empty.yaml');
    await writeFile(emptyFile, 'feeds: []\n');
    const empty = await runCli(['poll', '--all', '--data-dir', path.join(root, 'empty')], {
      CIPHERWATCH_FEEDS_FILE: emptyFile,
    });
    expect(empty.failed).toBe(false);
    expect(empty.stdout).toMatch(/^No enabled feeds to poll/);

    const declined = await runCli([
      'poll',
      '--all',
      '--no-default-feeds',
      '--data-dir',
      path.join(root, 'declined'),
    ]);
    expect(declined.stderr).not.toContain('default feed');
    expect(declined.stdout).toMatch(/^No enabled feeds to poll/);
    const listed = await runCli(['feeds', 'list', '--data-dir', path.join(root, 'declined')]);
    expect(listed.stdout).toMatch(/^No feeds yet/);
  });
});
