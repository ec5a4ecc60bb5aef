import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalApp } from '#lib/app/local-app.ts';
import { parseConfig } from '#lib/config.ts';
import { type Feed, newFeed } from '#lib/feeds/feed.ts';
import { startLocalStack } from '#lib/local/stack.ts';

/** The lock a killed `cipherwatch start` leaves: by default a pid that no longer runs. */
function leaveLockOfDeadProcess(dataDir: string, pid = spawnSync(process.execPath, ['-e', '']).pid): void {
  writeFileSync(
    path.join(dataDir, 'stack.json'),
    `${JSON.stringify({ pid, dynamodbEndpoint: 'http://127.0.0.1:9', sqsEndpoint: 'http://127.0.0.1:9' })}\n`,
  );
}

async function withStack<T>(
  dataDir: string,
  use: (
    app: ReturnType<typeof createLocalApp>,
    stack: Awaited<ReturnType<typeof startLocalStack>>,
  ) => Promise<T>,
): Promise<T> {
  const stack = await startLocalStack({ dataDir });
  const app = createLocalApp(stack.configure(parseConfig({ CIPHERWATCH_LOG_LEVEL: 'error' })));
  try {
    return await use(app, stack);
  } finally {
    app.close();
    await stack.stop();
  }
}

describe('the local store after an unclean stop', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-index-repair-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('checks its indexes only when the last process left its lock behind', async () => {
    const dir = dataDir();
    const feed = newFeed({ url: 'https://feeds.example/a.xml', name: 'A' }, new Date('2026-11-30T10:00:00Z'));
    await withStack(dir, async (app, stack) => {
      expect(stack.indexRepair).toBeUndefined();
      await app.feeds.add(feed);
    });
    await withStack(dir, async (_app, stack) => expect(stack.indexRepair).toBeUndefined());

    leaveLockOfDeadProcess(dir);
    await withStack(dir, async (app, stack) => {
      // A consistent store needs nothing, and loses nothing.
      expect(stack.indexRepair).toEqual({ restored: 0, removed: 0 });
      expect(await app.feeds.findDue(new Date('2026-11-30T11:00:00Z'))).toEqual([feed]);
    });
  });

  it('starts its own emulators when the lock names a live process whose emulators no longer answer', async () => {
    const dir = dataDir();
    // A pid not yet reaped after a kill, or reused by another program: alive, but serving nothing.
    const bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      leaveLockOfDeadProcess(dir, bystander.pid);
      await withStack(dir, async (app, stack) => {
        expect(stack.borrowedFrom).toBeUndefined();
        expect(stack.indexRepair).toEqual({ restored: 0, removed: 0 });
        expect(await app.feeds.list()).toEqual([]);
      });
    } finally {
      bystander.kill();
    }
  });

  it('finishes a repair that was itself stopped midway, from its journal', async () => {
    const dir = dataDir();
    const feed = newFeed({ url: 'https://feeds.example/b.xml', name: 'B' }, new Date('2026-11-30T10:00:00Z'));
    const trueVersion: Feed = { ...feed, name: 'B, as last saved' };
    await withStack(dir, async (app) => {
      await app.feeds.add(feed);
    });
    // The journal holds an item's true version while the repair briefly writes a stale one over it.
    writeFileSync(
      path.join(dir, 'index-repair.json'),
      `${JSON.stringify([
        {
          table: 'cipherwatch-feeds',
          item: { ...trueVersion, pollBucket: 'enabled', pollSlot: `${feed.nextPollAt}#${feed.id}` },
        },
      ])}\n`,
    );
    leaveLockOfDeadProcess(dir);
    await withStack(dir, async (app) => {
      expect(await app.feeds.get(feed.id)).toEqual(trueVersion);
      expect(await app.feeds.findDue(new Date('2026-11-30T11:00:00Z'))).toEqual([trueVersion]);
    });
    expect(existsSync(path.join(dir, 'index-repair.json'))).toBe(false);
  });
});
