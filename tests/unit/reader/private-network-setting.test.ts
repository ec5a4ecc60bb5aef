import { describe, expect, it } from 'vitest';
import { allowPrivateNetworksFromEnv, InvalidSettingError } from '#lib/reader/private-network-setting.ts';

describe('allowPrivateNetworksFromEnv', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
  ])('reads %j as %s', (value, expected) => {
    expect(allowPrivateNetworksFromEnv({ CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: value })).toBe(expected);
  });

  it.each(['TRUE', '1', 'yes', ''])('refuses %j with an error naming the variable', (value) => {
    const read = () => allowPrivateNetworksFromEnv({ CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: value });

    expect(read).toThrow(InvalidSettingError);
    expect(read).toThrow(/CIPHERWATCH_ALLOW_PRIVATE_NETWORKS must be "true" or "false"/);
  });
});
