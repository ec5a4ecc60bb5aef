import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from '../helpers/cli-process.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { hoursAgo, rss2 } from '../helpers/sample-feeds.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts/browser');
const ADMIN_KEY = 'browser-test-admin-key';
const READER = 'ngo-reader@example.org';
const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(
    `Skipping the browser test: ${CHROMIUM} is missing. Install it with "apt-get install -y chromium" (.ci/run does).`,
  );
}

interface Mail {
  subject: string;
  text: string;
  html: string;
}

/**
 * A reader's whole journey in a real browser (Debian's Chromium, driven by playwright-core) against
 * `cipherwatch start` on a fresh data folder: sign up, confirm from the mail, change the frequency,
 * receive a digest, mark a story not relevant, unsubscribe.
 */
describe.skipIf(!hasChromium)('the web app in a browser', () => {
  let dataDir: string;
  let feeds: FeedServer;
  let base: string;
  let cipherwatch: ReturnType<typeof startCli>;
  let browser: BrowserContext;
  let page: Page;

  const mailsTo = async (address: string): Promise<Mail[]> => {
    const outbox = path.join(dataDir, 'outbox');
    if (!existsSync(outbox)) return [];
    const files = (await readdir(outbox)).filter((file) => file.endsWith('.eml')).sort();
    const mails = await Promise.all(
      files.map(async (file) => simpleParser(await readFile(path.join(outbox, file)))),
    );
    return mails
      .filter((mail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text === address)
      .map((mail) => ({ subject: mail.subject ?? '', text: mail.text ?? '', html: String(mail.html) }));
  };
  const waitForMail = async (subject: RegExp): Promise<Mail> => {
    for (let attempt = 0; attempt < 240; attempt++) {
      const found = (await mailsTo(READER)).find((mail) => subject.test(mail.subject));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`No mail with subject ${subject} arrived for ${READER}.`);
  };
  const admin = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const reader = async () => {
    const { subscribers } = (await admin('GET', '/api/admin/subscribers')) as {
      subscribers: { email: string; status: string; frequency: string }[];
    };
    return subscribers.find((subscriber) => subscriber.email === READER);
  };
  const link = (text: string, route: string) => {
    const found = new RegExp(`${base.replace(/[.:/]/g, '\\$&')}${route}\\?token=[\\w.-]+`).exec(text)?.[0];
    if (!found) throw new Error(`No ${route} link in:\n${text}`);
    return found;
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-browser-'));
    feeds = await startFeedServer();
    feeds.feeds.set('/feed.xml', {
      body: rss2('Local Desk', [
        {
          title: 'Home Office orders messaging app to break end-to-end encryption',
          link: 'https://local.example/encryption-order?utm_source=rss',
          summary:
            'A technical capability notice would force the company to weaken end-to-end encryption so police can read encrypted messages.',
          published: hoursAgo(1),
        },
      ]),
    });
    const feedsFile = path.join(dataDir, 'feeds.yaml');
    await writeFile(
      feedsFile,
      `feeds:\n  - { name: Local Desk, url: "${feeds.url('/feed.xml')}", language: en }\n`,
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    cipherwatch = startCli(['start', '--data-dir', dataDir, '--port', String(port)], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CIPHERWATCH_FEEDS_FILE: feedsFile,
      CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
      CIPHERWATCH_PUBLIC_URL: base,
      CIPHERWATCH_ADMIN_API_KEY_HASH: createHash('sha256').update(ADMIN_KEY).digest('hex'),
    });
    await cipherwatch.waitFor(/poll round\s+1 feed: 1 updated/, 60_000);

    browser = await chromium.launchPersistentContext(
      await mkdtemp(path.join(tmpdir(), 'cipherwatch-chromium-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 390, height: 844 },
      },
    );
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    cipherwatch?.process.kill('SIGINT');
    await cipherwatch?.exitCode;
    await feeds?.close();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('signs up, confirms, changes the frequency, gets a digest, gives feedback and unsubscribes', async () => {
    await page.goto(`${base}/`);
    await expect(page.title()).resolves.toBe('Policy news digests · Cipherwatch');
    await page.getByText('Home Office orders messaging app to break end-to-end encryption').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'home.png'), fullPage: true });

    await page.getByLabel('Email address').fill(READER);
    await page.getByRole('checkbox', { name: 'Encryption and lawful access' }).check();
    await page.getByRole('checkbox', { name: 'State surveillance' }).check();
    await page.getByRole('radio', { name: 'Daily digest' }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const confirmation = await waitForMail(/Confirm your Cipherwatch subscription/);
    await page.goto(link(confirmation.text, '/confirm'));
    expect((await reader())?.status).toBe('pending');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    expect((await reader())?.status).toBe('active');

    await page.getByRole('link', { name: 'Manage your subscription' }).click();
    await page.getByRole('radio', { name: 'Weekly digest' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Your settings are saved.').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'manage.png'), fullPage: true });
    expect((await reader())?.frequency).toBe('weekly');

    expect(await admin('POST', '/api/admin/rounds/digest', { mode: 'now' })).toMatchObject({ queued: 1 });
    const digest = await waitForMail(/Cipherwatch weekly/);
    expect(digest.text).toContain('Home Office orders messaging app to break end-to-end encryption');
    expect(digest.text).toContain('https://local.example/encryption-order');
    expect(digest.text).not.toContain('utm_source');

    await page.goto(link(digest.text, '/feedback'));
    await page.getByRole('button', { name: 'Mark as not relevant' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();

    await page.goto(`${base}/topics/encryption`);
    await page.getByRole('heading', { name: 'Encryption and lawful access' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'topic.png'), fullPage: true });

    await page.goto(link(digest.text, '/unsubscribe'));
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    expect((await reader())?.status).toBe('unsubscribed');
  }, 180_000);
});
