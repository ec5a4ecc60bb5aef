import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '#lib/mail/transport.ts';
import { renderedDigest } from '../../helpers/rendered-fixture.ts';

interface SesRequest {
  path: string;
  body: {
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[] };
    Content?: { Raw?: { Data?: string } };
  };
}

const requests: SesRequest[] = [];
let server: Server;
let endpoint = '';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  // A stand-in for the SESv2 REST endpoint on loopback: records the request, answers like SES.
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      requests.push({ path: request.url ?? '', body: JSON.parse(body) as SesRequest['body'] });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ MessageId: `ses-message-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SES mailer', () => {
  it('sends the raw MIME message through SESv2 SendEmail with both parts and list headers', async () => {
    const client = new SESv2Client({
      endpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const mailer = createMailer(
      { kind: 'ses', client },
      { from: 'Cipherwatch <digests@cipherwatch.example>' },
    );
    const rendered = renderedDigest();

    const result = await mailer.send({
      to: 'reader@example.org',
      rendered,
      idempotencyKey: 'sub-1:daily:2026-03-29',
    });

    const request = requests.at(-1);
    expect(request?.path).toBe('/v2/email/outbound-emails');
    const raw = Buffer.from(request?.body.Content?.Raw?.Data ?? '', 'base64');
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(rendered.subject);
    expect(mail.text).toContain('Home secretary demands access');
    expect(mail.html).toContain('Home secretary demands access');
    expect(mail.headers.get('list')).toMatchObject({
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    expect(result.messageId).toContain('ses-message-');
  });
});
