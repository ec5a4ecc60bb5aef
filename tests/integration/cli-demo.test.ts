import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('cipherwatch demo', () => {
  const parent = mkdtemp(path.join(tmpdir(), 'cipherwatch-demo-'));

  afterAll(async () => {
    await rm(await parent, { recursive: true, force: true });
  });

  it('runs offline, prints a summary and leaves readable digests in the outbox', async () => {
    const dataDir = path.join(await parent, 'demo');
    // No inherited AWS endpoints or mail settings: the demo must stand on its own.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };

    const { stdout } = await run(process.execPath, ['bin/cipherwatch.js', 'demo', '--data-dir', dataDir], {
      env,
    });

    expect(stdout).toMatch(/Done: 4 feeds, \d+ stories, \d+ relevant, \d+ emails in the outbox\./);
    const outbox = path.join(dataDir, 'outbox');
    const previews = (await readdir(outbox)).filter((file) => file.endsWith('.html'));
    expect(previews.length).toBeGreaterThanOrEqual(3);
    const policyTeam = previews.find((file) => file.includes('policy-team'));
    expect(policyTeam).toBeDefined();
    const html = await readFile(path.join(outbox, policyTeam as string), 'utf8');
    expect(html).toMatch(/home secretary/i);
    expect(html).not.toMatch(/lottery/i);
    expect(html).not.toMatch(/<img/i);
  });

  it('refuses to reset a folder that holds other data', async () => {
    const precious = path.join(await parent, 'precious');
    await mkdir(precious);
    await writeFile(path.join(precious, 'notes.txt'), 'keep me');

    const result = await run(process.execPath, ['bin/cipherwatch.js', 'demo', '--data-dir', precious], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    }).catch((error: { code: number; stderr: string }) => error);

    expect('code' in result && result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: DemoDataDirError: .*precious holds data that is not from a demo/);
    expect(await readFile(path.join(precious, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
