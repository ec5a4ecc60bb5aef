export const ALLOW_PRIVATE_NETWORKS_VARIABLE = 'CIPHERWATCH_ALLOW_PRIVATE_NETWORKS';

/** An environment variable holds a value we refuse to guess the meaning of. */
export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError';
  readonly variable: string;

  constructor(variable: string, value: string) {
    super(`${variable} must be "true" or "false", not "${value}"`);
    this.variable = variable;
  }
}

/**
 * Reads CIPHERWATCH_ALLOW_PRIVATE_NETWORKS strictly: unset or "false" → false, "true" → true, anything else
 * throws, because a typo must not silently open (or close) the door to internal networks.
 */
export function allowPrivateNetworksFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[ALLOW_PRIVATE_NETWORKS_VARIABLE];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidSettingError(ALLOW_PRIVATE_NETWORKS_VARIABLE, value);
}
