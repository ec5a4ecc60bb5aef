import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '#lib/mail/transport.ts';
import { renderedDigest } from '../../helpers/rendered-fixture.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cipherwatch-outbox-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('outbox mailer', () => {
  it('writes the message as .eml with an .html preview, creating the folder', async () => {
    const dir = path.join(root, 'outbox');
    const mailer = createMailer(
      { kind: 'outbox', dir },
      { from: 'Cipherwatch <digests@cipherwatch.example>' },
    );
    const rendered = renderedDigest();

    const result = await mailer.send({
      to: 'reader@example.org',
      rendered,
      idempotencyKey: 'sub-1:daily:2026-03-29',
    });

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-reader-[0-9a-f]{8}\.eml$/);
    expect(files[1]).toBe(files[0]?.replace(/\.eml$/, '.html'));
    expect(result.location).toBe(path.join(dir, files[0] ?? ''));
    expect(await readFile(path.join(dir, files[1] ?? ''), 'utf8')).toBe(rendered.html);
  });

  it('writes an .eml that parses back with both parts and the list headers', async () => {
    const mailer = createMailer(
      { kind: 'outbox', dir: root },
      { from: 'Cipherwatch <digests@cipherwatch.example>' },
    );
    const rendered = renderedDigest();

    const result = await mailer.send({ to: 'reader@example.org', rendered, idempotencyKey: 'k-1' });

    const mail = await simpleParser(await readFile(result.location ?? ''));
    expect(mail.subject).toBe(rendered.subject);
    expect(mail.text).toContain('Home secretary demands access');
    expect(mail.html).toContain('Home secretary demands access');
    expect(mail.headers.get('list')).toMatchObject({
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    expect(mail.messageId).toBe(result.messageId);
  });

  it('leaves no temporary files behind', async () => {
    const mailer = createMailer({ kind: 'outbox', dir: root }, { from: 'digests@cipherwatch.example' });

    await mailer.send({ to: 'a@example.org', rendered: renderedDigest(), idempotencyKey: 'one' });
    await mailer.send({ to: 'b@example.org', rendered: renderedDigest(), idempotencyKey: 'two' });

    const files = await readdir(root);
    expect(files.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(files).toHaveLength(4);
  });
});
