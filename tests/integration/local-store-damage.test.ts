import { cpSync, mkdtempSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApp } from '#lib/app/local-app.ts';
import { parseConfig } from '#lib/config.ts';
import { newFeed } from '#lib/feeds/feed.ts';
import { LocalStoreError } from '#lib/local/emulators.ts';
import { startLocalStack } from '#lib/local/stack.ts';

/** Adds feeds through a persisted stack, stopping it between rounds so LevelDB writes table files. */
async function storeWithTables(dataDir: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const stack = await startLocalStack({ dataDir });
    const app = createLocalApp(stack.configure(parseConfig({ CIPHERWATCH_LOG_LEVEL: 'error' })));
    for (let i = 0; i < 20; i++) {
      await app.feeds.add(
        newFeed({ url: `https://feeds.example/${round}/${i}.xml`, name: `Feed ${i}` }, new Date()),
      );
    }
    app.close();
    await stack.stop();
  }
}

describe('a damaged local store', () => {
  let healthy: string;
  const copies: string[] = [];
  const storeOf = (dataDir: string) => path.join(dataDir, 'dynamodb');
  function copy(): string {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-damaged-'));
    cpSync(healthy, dataDir, { recursive: true });
    copies.push(dataDir);
    return dataDir;
  }
  const tableFiles = (dataDir: string) =>
    readdirSync(storeOf(dataDir)).filter((file) => file.endsWith('.ldb'));

  beforeAll(async () => {
    healthy = mkdtempSync(path.join(tmpdir(), 'cipherwatch-store-'));
    await storeWithTables(healthy);
  });
  afterAll(() => {
    for (const dir of [healthy, ...copies]) rmSync(dir, { recursive: true, force: true });
  });

  it('holds table files to lose (the premise of the cases below)', () => {
    expect(tableFiles(healthy).length).toBeGreaterThan(0);
  });

  it('with its CURRENT file missing is refused, naming the folder, and nothing is deleted', async () => {
    const dataDir = copy();
    unlinkSync(path.join(storeOf(dataDir), 'CURRENT'));
    const before = readdirSync(storeOf(dataDir)).sort();

    const started = startLocalStack({ dataDir });

    await expect(started).rejects.toThrow(LocalStoreError);
    await expect(started).rejects.toThrow(`${storeOf(dataDir)} cannot be used: its CURRENT file is missing`);
    expect(readdirSync(storeOf(dataDir)).sort()).toEqual(before);
  });

  it('with a garbage MANIFEST is refused with one clear error, and the table files stay', async () => {
    const dataDir = copy();
    const manifest = readdirSync(storeOf(dataDir)).find((file) => file.startsWith('MANIFEST-')) as string;
    writeFileSync(path.join(storeOf(dataDir), manifest), 'this is not a LevelDB manifest');
    const tables = tableFiles(dataDir);

    await expect(startLocalStack({ dataDir })).rejects.toThrow(LocalStoreError);
    expect(tableFiles(dataDir)).toEqual(tables);
  });

  it('with a truncated table file is refused before any command runs, and no table file is deleted', async () => {
    const dataDir = copy();
    const tables = tableFiles(dataDir);
    truncateSync(path.join(storeOf(dataDir), tables[0] as string), 100);

    await expect(startLocalStack({ dataDir })).rejects.toThrow(LocalStoreError);
    // Opening to check lets LevelDB turn its log into a new table file; it removes none.
    expect(tableFiles(dataDir)).toEqual(expect.arrayContaining(tables));
  });
});
