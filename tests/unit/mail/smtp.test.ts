import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, MailSendError, messageIdFor } from '#lib/mail/transport.ts';
import { closedLoopbackPort } from '../../helpers/closed-port.ts';
import { CONTEXT, hrefsIn, renderedDigest, STORY_LINKS } from '../../helpers/rendered-fixture.ts';

const received: string[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function sendOne(): Promise<{ mail: ParsedMail; messageId: string }> {
  const mailer = createMailer(
    { kind: 'smtp', url: `smtp://127.0.0.1:${port}` },
    { from: 'Cipherwatch <digests@cipherwatch.example>', replyTo: 'help@cipherwatch.example' },
  );
  const before = received.length;
  const result = await mailer.send({
    to: 'reader@example.org',
    rendered: renderedDigest(),
    idempotencyKey: 'sub-1:daily:2026-03-29',
  });
  mailer.close();
  expect(received.length).toBe(before + 1);
  return { mail: await simpleParser(received.at(-1) ?? ''), messageId: result.messageId };
}

describe('SMTP mailer against a local SMTP server', () => {
  it('delivers an HTML part and a plain-text part', async () => {
    const { mail } = await sendOne();

    expect(mail.html).toContain('Home secretary demands access to encrypted messages');
    expect(mail.text).toContain('* Home secretary demands access to encrypted messages');
    expect(mail.subject).toBe('Cipherwatch daily: 4 stories on Encryption');
  });

  it('carries the one-click unsubscribe and list headers', async () => {
    const { mail } = await sendOne();

    // mailparser gathers the RFC 2369 List-* headers under one "list" key.
    expect(mail.headers.get('list')).toEqual({
      unsubscribe: {
        url: CONTEXT.unsubscribeUrl,
        mail: 'unsubscribe@cipherwatch.example?subject=unsubscribe',
      },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
      id: { name: 'Cipherwatch digests', id: 'digests.cipherwatch.example' },
    });
    const unfolded = (received.at(-1) ?? '').replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toContain(
      `List-Unsubscribe: <${CONTEXT.unsubscribeUrl}>, <${CONTEXT.unsubscribeMailto}>`,
    );
    expect(unfolded).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(unfolded).toMatch(/^List-Id: Cipherwatch digests <digests\.cipherwatch\.example>$/im);
  });

  it('sends from the configured sender with the reply-to address', async () => {
    const { mail } = await sendOne();

    expect(mail.from?.value[0]?.address).toBe('digests@cipherwatch.example');
    expect(mail.replyTo?.value[0]?.address).toBe('help@cipherwatch.example');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined).toBe(
      'reader@example.org',
    );
  });

  it('uses a Message-ID derived from the idempotency key', async () => {
    const { mail, messageId } = await sendOne();

    const expected = messageIdFor('sub-1:daily:2026-03-29', 'digests@cipherwatch.example');
    expect(mail.messageId).toBe(expected);
    expect(messageId).toBe(expected);
  });

  it('contains no images and links only to the stories and the subscription pages', async () => {
    const { mail } = await sendOne();
    const html = typeof mail.html === 'string' ? mail.html : '';

    expect(html).not.toMatch(/<img/i);
    expect(hrefsIn(html).length).toBeGreaterThan(0);
    for (const href of hrefsIn(html)) {
      expect([...STORY_LINKS, CONTEXT.unsubscribeUrl, CONTEXT.manageUrl]).toContain(href);
    }
  });

  it('reports a refused connection as MailSendError', async () => {
    const closedPort = await closedLoopbackPort();
    const mailer = createMailer(
      { kind: 'smtp', url: `smtp://127.0.0.1:${closedPort}` },
      { from: 'a@cipherwatch.example' },
    );

    await expect(
      mailer.send({ to: 'reader@example.org', rendered: renderedDigest(), idempotencyKey: 'k' }),
    ).rejects.toThrow(MailSendError);
  });
});
