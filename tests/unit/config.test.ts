import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#lib/config.ts';

describe('parseConfig', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
  ])('reads CIPHERWATCH_ALLOW_PRIVATE_NETWORKS=%j as %s', (value, expected) => {
    expect(parseConfig({ CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: value }).allowPrivateNetworks).toBe(expected);
  });

  it.each(['TRUE', '1', 'yes', ''])(
    'refuses CIPHERWATCH_ALLOW_PRIVATE_NETWORKS=%j with an error naming the variable',
    (value) => {
      const read = () => parseConfig({ CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: value });

      expect(read).toThrow(ConfigError);
      expect(read).toThrow(/CIPHERWATCH_ALLOW_PRIVATE_NETWORKS must be one of "true", "false"/);
    },
  );

  it('points the AWS clients at the endpoints the environment names, and at AWS when it names none', () => {
    const local = parseConfig({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4567',
      AWS_REGION: 'eu-west-2',
    });
    const aws = parseConfig({});

    expect(local.aws).toEqual({
      region: 'eu-west-2',
      endpoints: { dynamodb: 'http://127.0.0.1:4566', sqs: 'http://127.0.0.1:4567' },
    });
    expect(aws.aws.endpoints).toEqual({ dynamodb: undefined, sqs: undefined });
  });
});
