import type { Command } from 'commander';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { formatTable, relativeTime } from '#lib/cli/table.ts';
import { feedIdFor, newFeed } from '#lib/feeds/feed.ts';

interface DataDirOptions {
  dataDir?: string;
}

/** `cipherwatch feeds add|list|remove|enable|disable`: the feeds registry for an operator. */
export function registerFeedsCommand(program: Command): void {
  const feeds = program.command('feeds').description('add, list, remove, enable or disable the feeds polled');

  withDataDirOption(
    feeds
      .command('add')
      .description('add a feed to poll')
      .argument('<url>', 'the feed URL (http or https)')
      .option('--name <name>', 'a name to show in digests (default: the host name)')
      .option('--language <code>', 'the language, when the feed does not say (e.g. de)'),
  ).action(async (url: string, options: DataDirOptions & { name?: string; language?: string }) => {
    const feed = newFeed({ url, name: options.name, language: options.language }, new Date());
    await withLocalData(options, async ({ feeds: repository }) => {
      if (!(await repository.add(feed))) throw new UsageError(`${feed.url} is already in the registry.`);
    });
    process.stdout.write(`Added ${feed.name} (${feed.url}); it will be polled in the next round.\n`);
  });

  withDataDirOption(
    feeds
      .command('list')
      .description('list feeds with their health: last success, failures, next poll, last error'),
  )
    .option('--json', 'print JSON')
    .action(async (options: DataDirOptions & { json?: boolean }) => {
      const list = await withLocalData(options, ({ feeds: repository }) => repository.list());
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('No feeds yet. Add one with: cipherwatch feeds add URL --name "Name"\n');
        return;
      }
      const now = new Date();
      const rows = list.map((feed) => [
        feed.name,
        feed.enabled ? (feed.consecutiveFailures > 0 ? 'failing' : 'ok') : 'disabled',
        relativeTime(feed.lastSuccessAt, now),
        String(feed.consecutiveFailures),
        feed.enabled ? relativeTime(feed.nextPollAt, now) : '—',
        feed.enabled
          ? feed.lastError
            ? `${feed.lastError.name}: ${feed.lastError.message}`
            : ''
          : (feed.disabledReason ?? ''),
      ]);
      process.stdout.write(
        `${formatTable(['feed', 'status', 'last success', 'failures', 'next poll', 'last error / reason'], rows)}\n`,
      );
      const failing = list.filter((f) => f.enabled && f.consecutiveFailures > 0).length;
      process.stdout.write(
        `\n${list.length} feeds: ${list.filter((f) => f.enabled).length} enabled, ${failing} failing.\n`,
      );
    });

  withDataDirOption(
    feeds.command('remove').description('remove a feed (its stories stay)').argument('<url>'),
  ).action(async (url: string, options: DataDirOptions) => {
    const removed = await withLocalData(options, ({ feeds: repository }) =>
      repository.remove(feedIdFor(url)),
    );
    if (!removed) throw new UsageError(`${url} is not in the registry (see cipherwatch feeds list).`);
    process.stdout.write(`Removed ${url}. Stories already stored are kept.\n`);
  });

  for (const enabled of [true, false]) {
    withDataDirOption(
      feeds
        .command(enabled ? 'enable' : 'disable')
        .description(enabled ? 'resume polling a feed (polled in the next round)' : 'stop polling a feed')
        .argument('<url>'),
    ).action(async (url: string, options: DataDirOptions) => {
      const changed = await withLocalData(options, ({ feeds: repository }) =>
        repository.setEnabled(
          feedIdFor(url),
          enabled,
          enabled ? undefined : 'Disabled by an operator.',
          new Date(),
        ),
      );
      if (!changed) throw new UsageError(`${url} is not in the registry (see cipherwatch feeds list).`);
      process.stdout.write(enabled ? `Enabled ${url}.\n` : `Disabled ${url}.\n`);
    });
  }
}
