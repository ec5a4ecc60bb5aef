import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createCoreApp } from '#lib/app/core-app.ts';
import { outboxDir } from '#lib/app/create-app.ts';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import type { SignUpMailJob } from '#lib/jobs/messages.ts';
import { createMailer } from '#lib/mail/transport.ts';
import { windowItemKey } from '#lib/store/delivery-repository.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { CONFIRM_TOKEN_TTL_MS, verifyToken } from '#lib/subscriptions/tokens.ts';
import { withCapturedLog } from '../helpers/captured-log.ts';
import { closedLoopbackPort } from '../helpers/closed-port.ts';
import { subscriberFor } from '../helpers/factories.ts';
import { useLocalStack } from '../helpers/local-stack.ts';
import { sqsEvent } from '../helpers/sqs-events.ts';

const SECRET = 'sign-up-mail-test-secret-0123456789abcdef';
const NOW = new Date('2026-11-30T10:00:00.000Z');
const dataDir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-sign-up-mail-'));

const subscriber = (email: string, overrides: Partial<Subscriber> = {}): Subscriber =>
  subscriberFor(email, { status: 'pending', createdAt: '2026-11-30T09:59:00.000Z', ...overrides });

const job = (who: Subscriber, mail: SignUpMailJob['mail'], requestedAt = who.createdAt): string =>
  JSON.stringify({ kind: 'sign-up-mail', subscriberId: who.id, mail, requestedAt } satisfies SignUpMailJob);

describe('sign-up mails in the digest sender', () => {
  const stack = useLocalStack({
    env: {
      CIPHERWATCH_HOME: dataDir,
      CIPHERWATCH_TOKEN_SECRET: SECRET,
      CIPHERWATCH_PUBLIC_URL: 'https://cipherwatch.test',
    },
  });
  let outcomes: DeliveryOutcome[] = [];
  const send = (...bodies: string[]) => {
    const { app } = stack();
    app.delivery.now = () => NOW;
    return createSendDigestsHandler(app, (handled) => {
      outcomes.push(...handled);
    })(sqsEvent(...bodies));
  };
  const save = (who: Subscriber) => stack().app.subscribers.replace(who, undefined);
  const mailsTo = async (email: string) => {
    const outbox = outboxDir(stack().app.config);
    const files = (await readdir(outbox).catch(() => [])).filter((file) => file.endsWith('.eml'));
    const mails = await Promise.all(
      files.map(async (file) => simpleParser(await readFile(path.join(outbox, file)))),
    );
    return mails.filter((mail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text === email);
  };

  beforeEach(() => {
    outcomes = [];
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends a pending subscriber a confirmation link that expires with their sign-up', async () => {
    const pending = subscriber('pending@example.org');
    await save(pending);

    const response = await send(job(pending, 'confirm'));

    expect(response.batchItemFailures).toEqual([]);
    expect(outcomes).toMatchObject([{ kind: 'sign-up-mail', status: 'sent', subscriberId: pending.id }]);
    const [mail] = await mailsTo('pending@example.org');
    expect(mail?.subject).toBe('Confirm your Cipherwatch subscription');
    const token = /https:\/\/cipherwatch\.test\/confirm\?token=([\w.-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const payload = verifyToken(token, SECRET, 'confirm', NOW);
    expect(payload.subscriberId).toBe(pending.id);
    expect(Date.parse(payload.expiresAt ?? '')).toBe(Date.parse(pending.createdAt) + CONFIRM_TOKEN_TTL_MS);
  });

  it('sends the mail of a job delivered twice only once', async () => {
    const pending = subscriber('twice@example.org');
    await save(pending);

    await send(job(pending, 'confirm'));
    await send(job(pending, 'confirm'));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['sent', 'already-sent']);
    expect(await mailsTo('twice@example.org')).toHaveLength(1);
  });

  it('keeps the record that a confirmation went no longer than the unconfirmed sign-up', async () => {
    const pending = subscriber('forgotten@example.org');
    await save(pending);

    await send(job(pending, 'confirm'));

    const { app } = stack();
    const ledger = await app.dynamodb.send(
      new GetCommand({
        TableName: app.config.tables.deliveries,
        Key: windowItemKey(pending.id, `sign-up:confirm:${pending.createdAt}`),
      }),
    );
    expect(ledger.Item?.expiresAt).toBe((Date.parse(pending.createdAt) + CONFIRM_TOKEN_TTL_MS) / 1000);
  });

  it('sends no confirmation to a subscriber who confirmed while the job waited', async () => {
    const confirmed = subscriber('confirmed-meanwhile@example.org', { status: 'active' });
    await save(confirmed);

    const response = await send(job(confirmed, 'confirm'));

    expect(response.batchItemFailures).toEqual([]);
    expect(outcomes).toMatchObject([
      { status: 'skipped', reason: 'subscriber is active, no longer pending' },
    ]);
    expect(await mailsTo('confirmed-meanwhile@example.org')).toHaveLength(0);
  });

  it('sends no confirmation once the sign-up has expired', async () => {
    const stale = subscriber('stale@example.org', {
      createdAt: new Date(NOW.getTime() - CONFIRM_TOKEN_TTL_MS - 60_000).toISOString(),
    });
    await save(stale);

    await send(job(stale, 'confirm'));

    expect(outcomes).toMatchObject([
      { status: 'skipped', reason: 'the sign-up expired before its mail went' },
    ]);
    expect(await mailsTo('stale@example.org')).toHaveLength(0);
  });

  it('points an active or paused subscriber who signed up again to their manage page', async () => {
    const active = subscriber('active@example.org', { status: 'active' });
    const paused = subscriber('paused@example.org', { status: 'paused' });
    await save(active);
    await save(paused);

    await send(job(active, 'already-subscribed', NOW.toISOString()), job(paused, 'already-subscribed'));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['sent', 'sent']);
    for (const [who, email] of [
      [active, 'active@example.org'],
      [paused, 'paused@example.org'],
    ] as const) {
      const [mail] = await mailsTo(email);
      expect(mail?.subject).toBe('You are already subscribed to Cipherwatch');
      const token = /\/manage\?token=([\w.-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
      expect(verifyToken(token, SECRET, 'manage', NOW).subscriberId).toBe(who.id);
    }
  });

  it('sends nothing to a suppressed, unsubscribed or erased address, and does not retry', async () => {
    const suppressed = subscriber('bounced@example.org', { status: 'suppressed' });
    const unsubscribed = subscriber('left@example.org', { status: 'unsubscribed' });
    const erased = subscriber('erased@example.org');
    await save(suppressed);
    await save(unsubscribed);

    const response = await send(
      job(suppressed, 'confirm'),
      job(suppressed, 'already-subscribed'),
      job(unsubscribed, 'already-subscribed'),
      job(erased, 'confirm'),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(outcomes.at(-1)).toMatchObject({ reason: 'no such subscriber' });
    for (const email of ['bounced@example.org', 'left@example.org', 'erased@example.org']) {
      expect(await mailsTo(email)).toHaveLength(0);
    }
  });

  it('reports a malformed sign-up mail job as a failed item, naming the field', async () => {
    const pending = subscriber('malformed@example.org');
    const unknownMail = JSON.stringify({
      kind: 'sign-up-mail',
      subscriberId: pending.id,
      mail: 'welcome',
      requestedAt: NOW.toISOString(),
    });

    const { result: response, lines } = await withCapturedLog(() =>
      send(unknownMail, JSON.stringify({ kind: 'sign-up-mail', subscriberId: pending.id, mail: 'confirm' })),
    );

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'message-0' },
      { itemIdentifier: 'message-1' },
    ]);
    expect(lines.filter((line) => line.includes('Message failed'))).toEqual([
      expect.stringMatching(/messageId=message-0 .*MalformedMessageError.*mail/),
      expect.stringMatching(/messageId=message-1 .*MalformedMessageError.*requestedAt/),
    ]);
  });

  it('reports a transport failure as a failed item, and the retry sends the mail', async () => {
    const pending = subscriber('retry@example.org');
    await save(pending);
    const closedPort = await closedLoopbackPort();
    const unreachable = createCoreApp(stack().app.config, {
      log: stack().app.log,
      classifier: stack().app.classifier,
      mailer: createMailer(
        { kind: 'smtp', url: `smtp://127.0.0.1:${closedPort}` },
        { from: 'a@cipherwatch.test' },
      ),
    });
    unreachable.delivery.now = () => NOW;

    try {
      const { result: failed, lines } = await withCapturedLog(() =>
        createSendDigestsHandler(unreachable)(sqsEvent(job(pending, 'confirm'))),
      );
      expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'message-0' }]);
      expect(lines.filter((line) => line.includes('Message failed'))).toEqual([
        expect.stringMatching(/messageId=message-0 .*MailSendError/),
      ]);
    } finally {
      unreachable.close();
    }
    expect(await mailsTo('retry@example.org')).toHaveLength(0);

    const retried = await send(job(pending, 'confirm'));

    expect(retried.batchItemFailures).toEqual([]);
    expect(await mailsTo('retry@example.org')).toHaveLength(1);
  });
});
