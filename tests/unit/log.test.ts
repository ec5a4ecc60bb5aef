import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLambdaLog } from '#lib/log.ts';

const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'cipherwatch-poll-feeds',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:cipherwatch-poll-feeds',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/cipherwatch-poll-feeds',
  logStreamName: '2026/11/30/[$LATEST]abc',
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

describe('the Lambda log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('carries the invocation request id and function name on every line once given the context', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const log = createLambdaLog('cipherwatch', 'info');

    log.addContext?.(context);
    log.info('Feed polled', { feed: 'https://feeds.example/rss' });

    const entries = lines
      .flatMap((line) => line.split('\n'))
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(entries.at(-1)).toMatchObject({
      message: 'Feed polled',
      feed: 'https://feeds.example/rss',
      function_request_id: context.awsRequestId,
      function_name: context.functionName,
    });
  });
});
