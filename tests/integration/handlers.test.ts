import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { withCapturedLog } from '../helpers/captured-log.ts';
import { lambdaEnvironment, useLocalStack } from '../helpers/local-stack.ts';
import { sqsEvent } from '../helpers/sqs-events.ts';

type SqsEntryPoint = (event: SQSEvent) => Promise<SQSBatchResponse>;

describe('queue handlers (the deployed entry points in functions/)', () => {
  const stack = useLocalStack();
  let pollFeeds: SqsEntryPoint;
  let sendDigests: SqsEntryPoint;

  beforeAll(async () => {
    // As on Lambda: the function module builds its app from the environment when it loads.
    Object.assign(process.env, lambdaEnvironment(stack()));
    pollFeeds = (await import('#functions/poll-feeds.ts')).handler;
    sendDigests = (await import('#functions/send-digests.ts')).handler;
  });

  it('poll-feeds reports only the malformed messages, and a removed feed is not an error', async () => {
    const removedFeed = JSON.stringify({ feedId: 'f'.repeat(32), scheduledAt: new Date().toISOString() });

    const { result: response, lines } = await withCapturedLog(() =>
      pollFeeds(sqsEvent('not json', removedFeed, '{"feedId":"short"}')),
    );

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['message-0', 'message-2']);
    // Expected failures are asserted here rather than printed in the test run.
    expect(lines.filter((line) => line.includes('Message failed'))).toEqual([
      expect.stringContaining('messageId=message-0'),
      expect.stringContaining('messageId=message-2'),
    ]);
  });

  it('send-digests reports a malformed job and skips a job for an unknown subscriber', async () => {
    const unknownReader = JSON.stringify({
      kind: 'digest',
      subscriberId: 'nobody',
      window: { start: '2026-11-25T08:00:00.000Z', end: '2026-11-26T08:00:00.000Z', key: 'daily:2026-11-26' },
    });

    const { result: response, lines } = await withCapturedLog(() =>
      sendDigests(sqsEvent(unknownReader, '{"kind":"digest"}')),
    );
    expect(lines.filter((line) => line.includes('Message failed'))).toEqual([
      expect.stringMatching(/messageId=message-1 .*MalformedMessageError/),
    ]);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-1' }]);
  });
});
