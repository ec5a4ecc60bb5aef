import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '#lib/cli/main.ts';
import type { Story } from '#lib/stories/story.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';
import { lambdaEnvironment, useLocalStack } from '../helpers/local-stack.ts';
import { runCli } from '../helpers/run-cli.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-cli-'));

function recentStory(id: string, title: string, topic: string): Story {
  const seen = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const link = `https://news.example/${id}`;
  return {
    id,
    canonicalUrl: link,
    link,
    title,
    summary: 'Ministers renewed demands for access to encrypted messages.',
    publishedAt: seen,
    firstSeenAt: seen,
    sources: [{ feedId: 'wire', feedName: 'The Wire', link }],
    topics: [
      {
        id: topic,
        score: 0.9,
        evidence: [{ phrase: 'encrypted messages', sentence: 'Access to encrypted messages.' }],
      },
    ],
    clusterId: id,
  };
}

describe('subscribers and digest preview commands', () => {
  const stack = useLocalStack({ env: { CIPHERWATCH_HOME: dataDir } });

  beforeAll(async () => {
    await stack().app.stories.save(
      [
        recentStory('enc-1', 'Home Office serves notice on messaging app over encrypted chats', 'encryption'),
        recentStory(
          'plat-1',
          'Regulator fines video platform under online safety law',
          'platform-regulation',
        ),
      ],
      'wire',
    );
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('adds a weekly subscriber and says when their digest goes out', async () => {
    const result = await runCli(
      [
        'subscribers',
        'add',
        'Reader@Example.org',
        '--topics',
        'encryption',
        '--frequency',
        'weekly',
        '--timezone',
        'Europe/Berlin',
        '--hour',
        '7',
        '--weekday',
        'fri',
        '--data-dir',
        dataDir,
      ],
      lambdaEnvironment(stack()),
    );

    expect(result.failed).toBe(false);
    expect(result.stdout).toMatch(
      /^Subscribed reader@example\.org: weekly on Fridays at 07:00 Europe\/Berlin, next \d{4}-\d\d-\d\d 0[56]:00 UTC\.$/m,
    );
  });

  it('refuses an unknown time zone, naming the field', async () => {
    const result = await runCli(
      [
        'subscribers',
        'add',
        'x@example.org',
        '--topics',
        'encryption',
        '--timezone',
        'Mars/Olympus',
        '--data-dir',
        dataDir,
      ],
      lambdaEnvironment(stack()),
    );

    expect(result.failed).toBe(true);
    expect(result.stderr).toMatch(/^error: UsageError: --timezone: not a known IANA time zone/);
  });

  it('refuses an unknown topic, naming it', async () => {
    const result = await runCli(
      ['subscribers', 'add', 'x@example.org', '--topics', 'crypto-prices', '--data-dir', dataDir],
      lambdaEnvironment(stack()),
    );

    expect(result.stderr).toMatch(
      /--topics: unknown topic "crypto-prices" \(choose from encryption, surveillance, security-services, platform-regulation\)/,
    );
  });

  it('names the option and its accepted values for a weekday or hour that means nothing', async () => {
    const env = lambdaEnvironment(stack());
    const weekday = await runCli(
      [
        'subscribers',
        'add',
        'x@example.org',
        '--topics',
        'encryption',
        '--frequency',
        'weekly',
        '--weekday',
        'funday',
      ],
      env,
    );
    const hour = await runCli(
      ['subscribers', 'add', 'x@example.org', '--topics', 'encryption', '--hour', 'noon'],
      env,
    );

    expect(weekday.stderr).toBe(
      'error: UsageError: --weekday must be one of mon, tue, wed, thu, fri, sat, sun (or 0 for Sunday to 6 for Saturday) (got "funday").\n',
    );
    expect(hour.stderr).toBe('error: UsageError: --hour must be a whole hour from 0 to 23 (got "noon").\n');
  });

  it('lists the topic ids in the help of subscribers add', () => {
    const add = buildProgram()
      .commands.find((c) => c.name() === 'subscribers')
      ?.commands.find((c) => c.name() === 'add');
    expect(add?.helpInformation()).toMatch(
      /encryption,\s+surveillance,\s+security-services,\s+platform-regulation/,
    );
  });

  it('lists subscribers with their schedule', async () => {
    const result = await runCli(['subscribers', 'list', '--data-dir', dataDir], lambdaEnvironment(stack()));

    expect(result.stdout).toMatch(/reader@example\.org\s+active\s+encryption\s+weekly on Fridays/);
  });

  it('updates only the settings given, keeping the rest', async () => {
    const env = lambdaEnvironment(stack());
    const result = await runCli(
      ['subscribers', 'update', 'READER@example.org', '--hour', '9', '--topics', 'encryption,surveillance'],
      env,
    );

    expect(result.stdout).toMatch(
      /^Updated reader@example\.org: weekly on Fridays at 09:00 Europe\/Berlin, next /,
    );
    const stored = await stack().app.subscribers.get(subscriberIdFor('reader@example.org'));
    expect(stored).toMatchObject({
      topics: ['encryption', 'surveillance'],
      deliveryHour: 9,
      deliveryWeekday: 5,
      timeZone: 'Europe/Berlin',
    });
    const unknown = await runCli(['subscribers', 'update', 'nobody@example.org', '--hour', '9'], env);
    expect(unknown.stderr).toMatch(/UsageError: nobody@example\.org is not subscribed/);
  });

  it('previews the digest a subscriber would get now, without sending it', async () => {
    const html = path.join(dataDir, 'preview.html');

    const result = await runCli(
      ['digest', 'preview', 'reader@example.org', '--window', '24h', '--html', html, '--data-dir', dataDir],
      lambdaEnvironment(stack()),
    );

    expect(result.stdout).toMatch(/^Subject: .*1 story.* Encryption/m);
    expect(result.stdout).toContain('Home Office serves notice on messaging app over encrypted chats');
    expect(result.stdout).not.toContain('Regulator fines video platform');
    expect(await readFile(html, 'utf8')).toContain('https://news.example/enc-1');
    const ledger = await stack().app.deliveries.ledger(subscriberIdFor('reader@example.org'));
    expect(ledger.windows.size).toBe(0);
  });

  it('checks the --html path before printing anything', async () => {
    const missing = path.join(dataDir, 'no-such-folder', 'x.html');
    const result = await runCli(
      ['digest', 'preview', 'reader@example.org', '--html', missing],
      lambdaEnvironment(stack()),
    );

    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: UsageError: cannot write ${missing}: the folder ${path.dirname(missing)} does not exist.\n`,
    );
  });

  it('sends one digest now through the delivery path, records it, and has nothing new a second time', async () => {
    const env = lambdaEnvironment(stack(), {
      CIPHERWATCH_HOME: dataDir,
      CIPHERWATCH_MAIL_TRANSPORT: 'outbox',
    });
    const sent = await runCli(['digest', 'send', 'reader@example.org', '--window', '24h'], env);
    const again = await runCli(['digest', 'send', 'reader@example.org', '--window', '24h'], env);

    expect(sent.stdout).toMatch(
      /^Sent reader@example\.org a digest of 1 story via the outbox .*outbox \(.*\.eml\)\.$/m,
    );
    expect(again.stdout).toMatch(/^Nothing to send to reader@example\.org/);
    const ledger = await stack().app.deliveries.ledger(subscriberIdFor('reader@example.org'));
    expect([...ledger.windows.values()].map((w) => w.status)).toEqual(['sent']);
    expect(ledger.sent.has('enc-1')).toBe(true);
    // A digest sent by hand leaves the scheduled window the reader is owed as it was.
    const reader = await stack().app.subscribers.get(subscriberIdFor('reader@example.org'));
    expect(reader?.lastWindowEnd).toBeUndefined();
  });

  it('removes a subscriber, and says so when there is none', async () => {
    const removed = await runCli(
      ['subscribers', 'remove', 'reader@example.org', '--data-dir', dataDir],
      lambdaEnvironment(stack()),
    );
    const again = await runCli(
      ['subscribers', 'remove', 'reader@example.org', '--data-dir', dataDir],
      lambdaEnvironment(stack()),
    );

    expect(removed.stdout).toMatch(/Removed reader@example\.org/);
    expect(again.stderr).toMatch(/error: UsageError: reader@example\.org is not subscribed/);
  });
});
