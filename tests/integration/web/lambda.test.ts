import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';
import { lambdaEnvironment, useLocalStack } from '../../helpers/local-stack.ts';

type WebEntryPoint = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResult>;

function httpEvent(
  method: string,
  rawPath: string,
  body?: string,
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'api.cipherwatch.test', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.cipherwatch.test',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '30/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body }),
  };
}

describe('functions/web.ts (the API Gateway entry point)', () => {
  const stack = useLocalStack();
  let handler: WebEntryPoint;

  beforeAll(async () => {
    // As on Lambda: the module builds its app from the environment when it loads.
    Object.assign(
      process.env,
      lambdaEnvironment(stack(), {
        CIPHERWATCH_TOKEN_SECRET: 'lambda-test-secret-0123456789abcdef0123',
        CIPHERWATCH_PUBLIC_URL: 'https://cipherwatch.test',
      }),
    );
    handler = (await import('#functions/web.ts')).handler as unknown as WebEntryPoint;
  });

  it('answers the topics API with JSON', async () => {
    const response = await handler(httpEvent('GET', '/api/topics'), {} as Context);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).topics[0].id).toBe('encryption');
  });

  it('answers a malformed sign-up with problem details and no stack trace', async () => {
    const response = await handler(
      httpEvent('POST', '/subscriptions', '{"email": 3', { 'content-type': 'application/json' }),
      {} as Context,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('queues a sign-up mail for the digest sender, naming the subscriber but not the address or a link', async () => {
    const response = await handler(
      httpEvent(
        'POST',
        '/subscriptions',
        JSON.stringify({ email: 'lambda@example.org', topics: ['encryption'] }),
        {
          'content-type': 'application/json',
        },
      ),
      {} as Context,
    );
    const received = await stack().app.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack().queues.signUpMails.url, MaxNumberOfMessages: 10 }),
    );

    expect(response.statusCode).toBe(202);
    const bodies = (received.Messages ?? []).map((message) => message.Body ?? '');
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] ?? '')).toEqual({
      kind: 'sign-up-mail',
      subscriberId: subscriberIdFor('lambda@example.org'),
      mail: 'confirm',
      requestedAt: expect.any(String),
    });
    expect(bodies[0]).not.toMatch(/@|token/);
  });
});
