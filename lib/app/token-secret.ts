import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '#lib/config.ts';

/**
 * The key that signs unsubscribe and manage links. On AWS it must be configured (from Secrets
 * Manager); on a laptop one is generated on first use and kept in the data folder, readable only by
 * its owner, so links in earlier local emails keep working across restarts.
 */
export function resolveTokenSecret(config: Config): string {
  if (config.tokenSecret) return config.tokenSecret;
  if (config.inLambda) {
    throw new ConfigError(
      'CIPHERWATCH_TOKEN_SECRET',
      'CIPHERWATCH_TOKEN_SECRET must be set in Lambda (at least 32 characters).',
    );
  }
  const file = path.join(config.dataDir, 'token-secret');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
