import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** An SQS record as Lambda's event-source mapping delivers it, with `body` and what a test overrides. */
export function sqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const messageId = overrides.messageId ?? 'message-0';
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764500000000',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '1764500000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test-queue',
    awsRegion: 'us-east-1',
    ...overrides,
  };
}

/** An SQS event of one record per body, with message ids `message-0`, `message-1`, … */
export function sqsEvent(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, index) => sqsRecord(body, { messageId: `message-${index}` })) };
}
