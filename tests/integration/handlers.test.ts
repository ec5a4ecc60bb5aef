import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as pollFeeds } from '../../functions/poll-feeds.ts';
import { handler as sendDigests } from '../../functions/send-digests.ts';
import { captureLog } from '../helpers/captured-log.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

function event(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, index) =>
        ({
          messageId: `message-${index}`,
          receiptHandle: `receipt-${index}`,
          body,
          attributes: { ApproximateReceiveCount: '1' },
          messageAttributes: {},
          eventSource: 'aws:sqs',
        }) as unknown as SQSRecord,
    ),
  };
}

describe('queue handlers', () => {
  useLocalStack();

  it('poll-feeds reports only the malformed messages, and a removed feed is not an error', async () => {
    const removedFeed = JSON.stringify({ feedId: 'f'.repeat(32), scheduledAt: new Date().toISOString() });

    const log = captureLog();
    const response = await pollFeeds(event('not json', removedFeed, '{"feedId":"short"}')).finally(
      log.restore,
    );

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['message-0', 'message-2']);
    expect(
      log.lines.filter((line) => line.level === 'error').map((line) => line.attributes.messageId),
    ).toEqual(['message-0', 'message-2']);
  });

  it('send-digests reports a malformed job and skips a job for an unknown subscriber', async () => {
    const unknownReader = JSON.stringify({
      kind: 'digest',
      subscriberId: 'nobody',
      window: { start: '2026-11-25T08:00:00.000Z', end: '2026-11-26T08:00:00.000Z', key: 'daily:2026-11-26' },
    });

    const log = captureLog();
    const response = await sendDigests(event(unknownReader, '{"kind":"digest"}')).finally(log.restore);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'message-1' }]);
    expect(
      log.lines.filter((line) => line.level === 'error').map((line) => String(line.attributes.error)),
    ).toEqual([expect.stringMatching(/^MalformedMessageError: Message message-1 is malformed/)]);
  });
});
