import { readFileSync } from 'node:fs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSesEventsHandler } from '#lib/handlers/ses-events.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import { useLocalStack } from '../helpers/local-stack.ts';
import { sqsRecord } from '../helpers/sqs-events.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/ses-events/${name}.json`, import.meta.url), 'utf8');

let sequence = 0;
/** Records with ids unique across the file, as the queue would deliver them. */
function event(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body): SQSRecord => {
      sequence += 1;
      return sqsRecord(body, { messageId: `message-${sequence}` });
    }),
  };
}

const stack = useLocalStack();
const app = () => stack().app;
let handler: ReturnType<typeof createSesEventsHandler>;
beforeAll(() => {
  handler = createSesEventsHandler(app());
});

async function subscribe(email: string, frequency: 'daily' | 'instant' = 'daily') {
  const { subscribers, classifier } = app();
  return addSubscriber(
    { email, topics: ['encryption'], frequency, timeZone: 'Europe/London', hour: 8 },
    { subscribers, topicIds: classifier.pack.topics.map((t) => t.id), now: new Date('2026-11-01T00:00:00Z') },
  );
}

const statusOf = async (id: string) => (await app().subscribers.get(id))?.status;

describe('ses-events handler (recorded SES events through EventBridge)', () => {
  it('suppresses a hard-bounced reader at once and takes them out of the digest schedule', async () => {
    const reader = await subscribe('gone@reader.example.net');

    const response = await handler(event(fixture('hard-bounce')));

    expect(response.batchItemFailures).toEqual([]);
    expect(await statusOf(reader.id)).toBe('suppressed');
    const due = await app().subscribers.findDue(new Date('2030-01-01T00:00:00Z'));
    expect(due.map((s) => s.id)).not.toContain(reader.id);
  });

  it('suppresses a reader who complained, including an instant reader', async () => {
    const reader = await subscribe('annoyed@reader.example.net', 'instant');

    await handler(event(fixture('complaint')));

    expect(await statusOf(reader.id)).toBe('suppressed');
    const instant = await app().subscribers.listInstant();
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
    expect(await app().subscribers.bounceState(reader.id)).toMatchObject({ softBounces: [{}, {}] });
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
