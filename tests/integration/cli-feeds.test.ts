import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedIdFor } from '#lib/feeds/feed.ts';
import type { Resolver } from '#lib/reader/address-guard.ts';
import { closedLoopbackPort } from '../helpers/closed-port.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { lambdaEnvironment, useLocalStack } from '../helpers/local-stack.ts';
import { runCli } from '../helpers/run-cli.ts';
import { hoursAgo, rss2 } from '../helpers/sample-feeds.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-cli-feeds-'));

describe('feeds and poll --all commands', () => {
  const stack = useLocalStack();
  const cli = (args: string[], options: { resolve?: Resolver } = {}) =>
    runCli(
      args,
      lambdaEnvironment(stack(), {
        CIPHERWATCH_HOME: dataDir,
        CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: 'false',
        CIPHERWATCH_POLL_INTERVAL_MINUTES: '1',
        CIPHERWATCH_MAIL_TRANSPORT: 'outbox',
      }),
      options,
    );
  let server: FeedServer;

  beforeAll(async () => {
    server = await startFeedServer();
    server.feeds.set('/wire.xml', {
      body: rss2('Wire', [
        {
          title:
            'Home Secretary demands access to end-to-end encrypted WhatsApp messages after terror attack',
          link: 'https://news.example/encryption-demand',
          summary:
            'Ministers said messaging apps must give the security services a way to read encrypted messages under warrant.',
          published: hoursAgo(1),
        },
      ]),
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a feed on a private address at add time unless private networks are allowed', async () => {
    const refused = await cli(['feeds', 'add', server.url('/wire.xml')]);
    expect(refused.failed).toBe(true);
    expect(refused.stderr).toMatch(
      /FeedRefusedError: .* points at 127\.0\.0\.1, a private or internal network/,
    );

    const resolvedPrivate = await cli(['feeds', 'add', 'https://intranet.example/feed.xml'], {
      resolve: async () => [{ address: '10.1.2.3', family: 4 }],
    });
    expect(resolvedPrivate.stderr).toMatch(/points at 10\.1\.2\.3/);
    expect(await stack().app.feeds.list()).toEqual([]);

    const added = await cli([
      'feeds',
      'add',
      server.url('/wire.xml'),
      '--name',
      'Wire',
      '--allow-private-networks',
    ]);
    expect(added.stdout).toMatch(/^Added Wire/);
  });

  it('refuses a language that is not a BCP 47 tag and stores a valid one in canonical form', async () => {
    const refused = await cli([
      'feeds',
      'add',
      'https://www.eff.org/rss/updates.xml',
      '--language',
      'klingon',
    ]);
    expect(refused.stderr).toMatch(/InvalidLanguageError: "klingon" is not a language tag; use a BCP 47 tag/);

    await cli(['feeds', 'add', 'https://www.eff.org/rss/updates.xml', '--language', 'pt-br']);
    const stored = await stack().app.feeds.get(feedIdFor('https://www.eff.org/rss/updates.xml'));
    expect(stored?.language).toBe('pt-BR');
  });

  it('recognises the same feed again whatever its case or tracking parameters', async () => {
    const again = await cli(['feeds', 'add', 'HTTPS://WWW.EFF.ORG/rss/updates.xml?utm_source=x']);
    expect(again.failed).toBe(true);
    expect(again.stderr).toMatch(/https:\/\/www\.eff\.org\/rss\/updates\.xml is already in the registry/);
  });

  it('lists feeds with their URL within 100 columns, and every column with --wide', async () => {
    await cli(['feeds', 'add', 'https://www.eff.org/rss/deeplinks.xml']);
    const narrow = await cli(['feeds', 'list']);
    expect(narrow.stdout).toMatch(/www\.eff\.org\/rss\/updates\.xml/);
    expect(narrow.stdout).toMatch(/www\.eff\.org\/rss\/deeplinks\.xml/);
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);

    const wide = await cli(['feeds', 'list', '--wide']);
    expect(wide.stdout).toMatch(/failures/);
    expect(wide.stdout).toMatch(/https:\/\/www\.eff\.org\/rss\/updates\.xml/);
  });

  it('exports OPML 2.0 and imports it back without duplicates, adding only new feeds', async () => {
    const exported = await cli(['feeds', 'export']);
    expect(exported.stdout).toMatch(/<opml version="2\.0">/);
    expect(exported.stdout).toMatch(/xmlUrl="https:\/\/www\.eff\.org\/rss\/updates\.xml" language="pt-BR"/);

    const file = path.join(dataDir, 'reader.opml');
    const withNew = exported.stdout.replace(
      '</body>',
      '<outline text="Folder"><outline text="Lawfare &amp; Co" xmlUrl="https://www.lawfaremedia.org/feed"/></outline></body>',
    );
    await writeFile(file, withNew);
    const imported = await cli(['feeds', 'import', file]);
    expect(imported.stdout).toMatch(/1 feed added, 2 already in the registry, 1 refused/);
    expect(imported.stdout).toMatch(/refused\s+http:\/\/127\.0\.0\.1:\d+\/wire\.xml: FeedRefusedError/);
    const names = (await stack().app.feeds.list()).map((feed) => feed.name);
    expect(names).toContain('Lawfare & Co');
  });

  it('runs the round itself, schedules the next poll by the configured interval and names the alerts it sent', async () => {
    for (const feed of await stack().app.feeds.list()) {
      if (!feed.url.includes('127.0.0.1')) await stack().app.feeds.remove(feed.id);
    }
    await cli(['subscribers', 'add', 'desk@example.org', '--topics', 'encryption', '--frequency', 'instant']);
    const startedAt = Date.now();

    const round = await cli(['poll', '--all', '--allow-private-networks']);

    expect(round.exitCode).toBe(0);
    expect(round.stdout).toMatch(/^1 feed: 1 updated, 0 not modified, 0 failed · 1 new story, 1 relevant/);
    expect(round.stdout).toMatch(
      new RegExp(
        `Sent 1 instant alert via the outbox ${path.join(dataDir, 'outbox')}: desk@example\\.org \\(1 story\\)`,
      ),
    );
    expect((await readdir(path.join(dataDir, 'outbox'))).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const [feed] = await stack().app.feeds.list();
    const nextPoll = Date.parse(feed?.nextPollAt ?? '');
    expect(nextPoll).toBeGreaterThanOrEqual(startedAt + 60_000);
    expect(nextPoll).toBeLessThan(startedAt + 5 * 60_000);
  });

  it('lists stored stories with filters and shows one with its sources and evidence', async () => {
    const listed = await cli(['stories', 'list', '--relevant', '--since', '1h']);
    expect(listed.stdout).toMatch(/Home Secretary demands access to end-to-end/);
    expect(listed.stdout).toMatch(/encryption \d\.\d\d/);
    expect(listed.stdout).toMatch(/1 story first seen in the last 1h/);

    const searched = await cli(['stories', 'list', '--search', 'whatsapp WARRANT']);
    const missed = await cli(['stories', 'list', '--search', 'lottery']);
    const byTopic = await cli(['stories', 'list', '--topic', 'platform-regulation']);
    expect(searched.stdout).toMatch(/Home Secretary/);
    expect(missed.stdout).toBe('No stories first seen in the last 24h match.\n');
    expect(byTopic.stdout).toMatch(/^No stories/);
    const unknownTopic = await cli(['stories', 'list', '--topic', 'crypto']);
    expect(unknownTopic.stderr).toMatch(/--topic: unknown topic "crypto" \(choose from encryption, /);

    const [story] = JSON.parse((await cli(['stories', 'list', '--json'])).stdout) as { id: string }[];
    const shown = await cli(['stories', 'show', story?.id.slice(0, 10) ?? '']);
    expect(shown.stdout).toMatch(/^Home Secretary demands access/);
    expect(shown.stdout).toMatch(/sources\n {2}Wire {2}https:\/\/news\.example\/encryption-demand/);
    expect(shown.stdout).toMatch(/encryption {2}\d\.\d\d\n {4}".+" in ".+"/);
    const missing = await cli(['stories', 'show', 'abcdef0123']);
    expect(missing.stderr).toBe('error: UsageError: No story has the id abcdef0123.\n');
  });

  it('says the machine looks offline when no feed could be reached, once per cause, and exits 1', async () => {
    for (const feed of await stack().app.feeds.list()) await stack().app.feeds.remove(feed.id);
    for (const name of ['One', 'Two']) {
      await cli([
        'feeds',
        'add',
        `http://127.0.0.1:${await closedLoopbackPort()}/feed.xml`,
        '--name',
        name,
        '--allow-private-networks',
      ]);
    }

    const round = await cli(['poll', '--all', '--allow-private-networks']);

    expect(round.exitCode).toBe(1);
    expect(round.stdout).toMatch(/2 feeds: 0 updated, 0 not modified, 2 failed/);
    expect(round.stdout).toMatch(/No feed could be reached - is this machine offline\?/);
    expect(round.stdout).toMatch(
      /failed {2}One: FeedFetchError: Could not fetch from 127\.0\.0\.1:\d+: the connection was refused \(ECONNREFUSED\)\n/,
    );
    expect(round.stdout.match(/ECONNREFUSED/g)).toHaveLength(2);
  });
});
