import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Hono } from 'hono';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll } from 'vitest';
import { outboxDir } from '#lib/app/create-app.ts';
import { TABLES } from '#lib/aws/resources.ts';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import { createSendDigestsHandler } from '#lib/handlers/send-digests.ts';
import { createQueueConsumer, type QueueConsumer } from '#lib/local/event-source.ts';
import { createWebApp } from '#lib/web/app.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { webDependencies } from '#lib/web/wiring.ts';
import { type TestStack, useLocalStack } from './local-stack.ts';

export const PUBLIC_URL = 'https://cipherwatch.test';
export const TOKEN_SECRET = 'test-token-secret-that-is-long-enough-0123456789';
export const ADMIN_KEY = 'admin-key-for-tests-only';

export interface MailSeen {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface WebHarness {
  stack(): TestStack;
  app(): Hono;
  deps(): WebDependencies;
  /** The clock the app and the sender read; tests move it. */
  clock: { now: Date };
  /**
   * Runs the mail and digests queues dry through the real send-digests handler (as Lambda's event
   * sources would), then reads every mail in the outbox. The web app queues sign-up mails; only the sender sends them.
   */
  outbox(): Promise<MailSeen[]>;
  /** What the sender did with each job it handled so far. */
  deliveries(): readonly DeliveryOutcome[];
  /** Every item of every table, for "nothing changed" and "nothing left" checks. */
  snapshot(): Promise<Record<string, unknown[]>>;
}

/**
 * A web app over its own local stack and the digest sender behind it, writing to an outbox in a
 * temporary data folder, with a clock the test controls. The client address comes from an
 * `x-test-client` header (a test stand-in for the edge's source IP).
 */
export function useWebApp(): WebHarness {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-web-'));
  const stack = useLocalStack({
    env: {
      CIPHERWATCH_HOME: dataDir,
      CIPHERWATCH_TOKEN_SECRET: TOKEN_SECRET,
      CIPHERWATCH_PUBLIC_URL: PUBLIC_URL,
      CIPHERWATCH_MAIL_FROM: 'Cipherwatch <digests@cipherwatch.test>',
      CIPHERWATCH_ADMIN_API_KEY_HASH: createHash('sha256').update(ADMIN_KEY).digest('hex'),
    },
  });
  const clock = { now: new Date('2026-11-30T10:00:00.000Z') };
  let app: Hono | undefined;
  let deps: WebDependencies | undefined;
  let senders: QueueConsumer[] = [];
  const handled: DeliveryOutcome[] = [];
  beforeAll(async () => {
    const { app: core, queues } = stack();
    deps = webDependencies(core, {
      clientAddress: (c) => c.req.header('x-test-client') ?? '198.51.100.7',
      now: () => clock.now,
    });
    app = createWebApp(deps);
    core.delivery.now = () => clock.now;
    const handler = createSendDigestsHandler(core, (outcomes) => {
      handled.push(...outcomes);
    });
    senders = [queues.signUpMails, queues.digests].map((queue) =>
      createQueueConsumer({
        sqs: core.sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: queue.definition.batchSize,
        handler,
      }),
    );
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    stack,
    app: () => required(app),
    deps: () => required(deps),
    clock,
    deliveries: () => handled,
    async outbox() {
      for (const sender of senders) await sender.drain();
      const outbox = outboxDir(stack().app.config);
      const files = (await readdir(outbox).catch(() => [])).filter((file) => file.endsWith('.eml')).sort();
      return Promise.all(
        files.map(async (file) => {
          const mail = await simpleParser(await readFile(path.join(outbox, file)));
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          return {
            to: to?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: String(mail.html),
          };
        }),
      );
    },
    async snapshot() {
      const { dynamodb } = stack().app;
      const result: Record<string, unknown[]> = {};
      for (const table of Object.values(TABLES)) {
        const page = await dynamodb.send(new ScanCommand({ TableName: table.name }));
        result[table.id] = (page.Items ?? []).sort((a: unknown, b: unknown) =>
          JSON.stringify(a).localeCompare(JSON.stringify(b)),
        );
      }
      return result;
    },
  };
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('The web app is not ready yet (use it inside a test or hook).');
  return value;
}

/** A form POST as a browser on the app's own page sends it. */
export function formPost(
  fields: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): RequestInit {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL, ...headers },
  };
}

export function jsonPost(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  };
}

/** The token in the first link to `path` in a text. */
export function tokenIn(text: string, linkPath: string): string {
  const match = new RegExp(`${linkPath}\\?token=([\\w.-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`No ${linkPath} link in:\n${text}`);
  return match[1];
}

/** A response's JSON body, typed as the test expects it to be. */
export const json = <T>(response: Response): Promise<T> => response.json() as Promise<T>;
