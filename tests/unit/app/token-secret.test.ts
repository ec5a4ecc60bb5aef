import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fetchTokenSecret, resolveTokenSecret, TokenSecretFileError } from '#lib/app/token-secret.ts';
import { parseConfig } from '#lib/config.ts';

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
const KEY = 'k'.repeat(64);

describe('fetchTokenSecret', () => {
  it('reads the key from Secrets Manager once per process, however many times it is asked', async () => {
    const config = parseConfig({ CIPHERWATCH_TOKEN_SECRET_ARN: arn('once'), AWS_LAMBDA_FUNCTION_NAME: 'f' });
    const read = vi.fn(async () => `${KEY}\n`);

    const first = await fetchTokenSecret(config, read);
    const second = await fetchTokenSecret(config, read);

    expect(first).toBe(KEY);
    expect(second).toBe(KEY);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('tries again on the next call after a failed read', async () => {
    const config = parseConfig({ CIPHERWATCH_TOKEN_SECRET_ARN: arn('flaky') });
    const read = vi.fn().mockRejectedValueOnce(new Error('throttled')).mockResolvedValueOnce(KEY);

    await expect(fetchTokenSecret(config, read)).rejects.toThrow('throttled');
    await expect(fetchTokenSecret(config, read)).resolves.toBe(KEY);
  });

  it('refuses a key shorter than 32 characters, naming the variable', async () => {
    const config = parseConfig({ CIPHERWATCH_TOKEN_SECRET_ARN: arn('short') });

    await expect(fetchTokenSecret(config, async () => 'too short')).rejects.toThrow(
      'CIPHERWATCH_TOKEN_SECRET_ARN must hold at least 32 characters',
    );
  });

  it('leaves the key to be resolved locally when no ARN is configured', async () => {
    const read = vi.fn(async () => KEY);

    expect(await fetchTokenSecret(parseConfig({}), read)).toBeUndefined();
    expect(read).not.toHaveBeenCalled();
  });

  it('names a malformed ARN at start-up', () => {
    expect(() => parseConfig({ CIPHERWATCH_TOKEN_SECRET_ARN: 'my-secret' })).toThrow(
      'CIPHERWATCH_TOKEN_SECRET_ARN must be a Secrets Manager secret ARN',
    );
  });
});

describe('resolveTokenSecret on a laptop', () => {
  it('creates a key readable by its owner alone, in a private data folder, and keeps it', async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'cipherwatch-secret-')), 'data');
    const config = parseConfig({ CIPHERWATCH_HOME: dataDir });

    const key = resolveTokenSecret(config);

    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(resolveTokenSecret(config)).toBe(key);
    expect((await stat(path.join(dataDir, 'token-secret'))).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  });

  it('refuses a key file that is too short instead of replacing the key every sent link depends on', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-secret-'));
    await writeFile(path.join(dataDir, 'token-secret'), 'short\n');

    expect(() => resolveTokenSecret(parseConfig({ CIPHERWATCH_HOME: dataDir }))).toThrow(
      TokenSecretFileError,
    );
    expect(await readFile(path.join(dataDir, 'token-secret'), 'utf8')).toBe('short\n');
  });
});
