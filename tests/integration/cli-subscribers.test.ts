import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(result.stderr).toMatch(/^error: SubscriberInputError: timeZone: not a known IANA time zone/);
  });

  it('refuses an unknown topic, naming it', async () => {
    const result = await runCli(
      ['subscribers', 'add', 'x@example.org', '--topics', 'crypto-prices', '--data-dir', dataDir],
      lambdaEnvironment(stack()),
    );

    expect(result.stderr).toMatch(/topics: unknown topic "crypto-prices"/);
  });

  it('lists subscribers with their schedule', async () => {
    const result = await runCli(['subscribers', 'list', '--data-dir', dataDir], lambdaEnvironment(stack()));

    expect(result.stdout).toMatch(/reader@example\.org\s+active\s+encryption\s+weekly on Fridays/);
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
