import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSecretOnce, type SecretReader } from '#lib/aws/secrets.ts';
import { type Config, ConfigError } from '#lib/config.ts';

/** The shortest token key accepted, wherever it comes from. */
const MIN_SECRET_LENGTH = 32;

/**
 * The token key from Secrets Manager when `CIPHERWATCH_TOKEN_SECRET_ARN` is set (on AWS), read once
 * per cold start; undefined otherwise, and the key then resolves on first use (`resolveTokenSecret`).
 */
export async function fetchTokenSecret(config: Config, read?: SecretReader): Promise<string | undefined> {
  if (config.tokenSecret || !config.tokenSecretArn) return undefined;
  const secret = (await readSecretOnce(config.tokenSecretArn, read)).trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      'CIPHERWATCH_TOKEN_SECRET_ARN',
      `The secret in CIPHERWATCH_TOKEN_SECRET_ARN must hold at least ${MIN_SECRET_LENGTH} characters.`,
    );
  }
  return secret;
}

/** The local token key file exists but cannot be the key that signed the links already sent. */
export class TokenSecretFileError extends Error {
  override name = 'TokenSecretFileError';
  constructor(readonly file: string) {
    super(
      `${file} holds fewer than ${MIN_SECRET_LENGTH} characters, so it is not a key Cipherwatch wrote. ` +
        'Restore it from a backup; or delete it to start a new key, and links in emails already sent stop working.',
    );
  }
}

/**
 * The key without Secrets Manager: from the environment, or on a laptop generated on first use and kept
 * in the data folder, readable only by its owner, so links in earlier local emails keep working across
 * restarts. In Lambda it comes from Secrets Manager (`fetchTokenSecret`) or the environment.
 */
export function resolveTokenSecret(config: Config): string {
  if (config.tokenSecret) return config.tokenSecret;
  if (config.inLambda) {
    throw new ConfigError(
      'CIPHERWATCH_TOKEN_SECRET_ARN',
      'CIPHERWATCH_TOKEN_SECRET_ARN (or CIPHERWATCH_TOKEN_SECRET) must be set in Lambda.',
    );
  }
  const file = path.join(config.dataDir, 'token-secret');
  let stored: string | undefined;
  try {
    stored = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (stored !== undefined) {
    // Never replaced silently: every link already sent was signed with it.
    if (stored.length < MIN_SECRET_LENGTH) throw new TokenSecretFileError(file);
    return stored;
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
