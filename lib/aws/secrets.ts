import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A secret could not be read; names the secret, never its value. */
export class SecretReadError extends Error {
  override name = 'SecretReadError';
  constructor(
    readonly secretArn: string,
    reason: string,
    options?: { cause: unknown },
  ) {
    super(`could not read secret ${secretArn}: ${reason}`, options);
  }
}

/** Reads one secret's string value; the default goes to Secrets Manager. */
export type SecretReader = (secretArn: string) => Promise<string>;

const clients = new Map<string, SecretsManagerClient>();
const reads = new Map<string, Promise<string>>();

/**
 * The secret's value, fetched once per process (a Lambda cold start) and shared by every invocation
 * after it. A failed read is forgotten, so the next invocation tries again instead of failing forever.
 */
export function readSecretOnce(secretArn: string, read: SecretReader = fetchSecret): Promise<string> {
  let pending = reads.get(secretArn);
  if (!pending) {
    pending = read(secretArn);
    reads.set(secretArn, pending);
    pending.catch(() => reads.delete(secretArn));
  }
  return pending;
}

/** Reads from the secret's own region (the fourth field of its ARN). */
async function fetchSecret(secretArn: string): Promise<string> {
  const region = secretArn.split(':')[3] ?? '';
  let client = clients.get(region);
  if (!client) {
    client = new SecretsManagerClient({ region });
    clients.set(region, client);
  }
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    throw new SecretReadError(secretArn, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  if (!value) throw new SecretReadError(secretArn, 'it holds no string value');
  return value;
}
