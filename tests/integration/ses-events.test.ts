import { readFileSync } from 'node:fs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/ses-events.ts';
import { getAppContext } from '../../lib/app/context.ts';
import { addSubscriber } from '../../lib/subscriptions/add-subscriber.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8');

let sequence = 0;
function event(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body) => {
      sequence += 1;
      return {
        messageId: `message-${sequence}`,
        receiptHandle: `receipt-${sequence}`,
        body,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        eventSource: 'aws:sqs',
      } as unknown as SQSRecord;
    }),
  };
}

async function subscribe(email: string, frequency: 'daily' | 'instant' = 'daily') {
  const { subscribers, classifier } = getAppContext();
  return addSubscriber(
    { email, topics: ['encryption'], frequency, timeZone: 'Europe/London', hour: 8 },
    { subscribers, topicIds: classifier.pack.topics.map((t) => t.id), now: new Date('2026-11-01T00:00:00Z') },
  );
}

const statusOf = async (id: string) => (await getAppContext().subscribers.get(id))?.status;

describe('ses-events handler (recorded SES events through EventBridge)', () => {
  useLocalStack();

  it('suppresses a hard-bounced reader at once and takes them out of the digest schedule', async () => {
    const reader = await subscribe('gone@reader.example.net');

    const response = await handler(event(fixture('hard-bounce')));

    expect(response.batchItemFailures).toEqual([]);
    expect(await statusOf(reader.id)).toBe('suppressed');
    const due = await getAppContext().subscribers.findDue(new Date('2030-01-01T00:00:00Z'));
    expect(due.map((s) => s.id)).not.toContain(reader.id);
  });

  it('suppresses a reader who complained, including an instant reader', async () => {
    const reader = await subscribe('annoyed@reader.example.net', 'instant');

    await handler(event(fixture('complaint')));

    expect(await statusOf(reader.id)).toBe('suppressed');
    const instant = await getAppContext().subscribers.listInstant();
    expect(instant.map((s) => s.id)).not.toContain(reader.id);
  });

  it('keeps a reader after two soft bounces and suppresses them on the third', async () => {
    const reader = await subscribe('full@reader.example.net');

    await handler(event(fixture('soft-bounce-1'), fixture('soft-bounce-2')));
    const afterTwo = await statusOf(reader.id);
    await handler(event(fixture('soft-bounce-3')));

    expect(afterTwo).toBe('active');
    expect(await statusOf(reader.id)).toBe('suppressed');
  });

  it('counts a soft bounce delivered twice only once', async () => {
    const reader = await subscribe('Full.Twice@reader.example.net');
    const bounce = (name: string) =>
      fixture(name).replaceAll('full@reader.example.net', 'full.twice@reader.example.net');

    await handler(event(bounce('soft-bounce-1')));
    await handler(event(bounce('soft-bounce-2')));
    await handler(event(bounce('soft-bounce-2')));

    expect(await statusOf(reader.id)).toBe('active');
    expect(await getAppContext().subscribers.bounceState(reader.id)).toMatchObject({ softBounces: [{}, {}] });
  });

  it('treats a repeated hard bounce and an unknown address as done, not as failures', async () => {
    await subscribe('gone.again@reader.example.net');
    const bounce = fixture('hard-bounce').replaceAll(
      'gone@reader.example.net',
      'gone.again@reader.example.net',
    );
    const stranger = fixture('complaint').replaceAll(
      'annoyed@reader.example.net',
      'never@reader.example.net',
    );

    await handler(event(bounce));
    const response = await handler(event(bounce, stranger));

    expect(response.batchItemFailures).toEqual([]);
  });

  it('reports a message that is not an SES event, and only that one', async () => {
    const notSes = JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} });
    const batch = event(notSes, fixture('hard-bounce'));

    const response = await handler(batch);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0]?.messageId }]);
  });
});
