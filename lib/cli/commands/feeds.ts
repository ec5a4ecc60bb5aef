import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { describeError, UsageError } from '#lib/cli/errors.ts';
import { admitFeed } from '#lib/cli/feed-admission.ts';
import { formatFeedList } from '#lib/cli/feed-list.ts';
import { InputFileError } from '#lib/cli/input-file.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { feedsFromOpml, feedsToOpml } from '#lib/cli/opml.ts';
import { loadConfig } from '#lib/config.ts';
import { type Feed, feedIdFor } from '#lib/feeds/feed.ts';
import { plural } from '#lib/plural.ts';
import type { Resolver } from '#lib/reader/address-guard.ts';

interface DataDirOptions {
  dataDir?: string;
}

export interface FeedsCommandOptions {
  /** Host name resolver for the address check at add time; the system's by default. */
  resolve?: Resolver | undefined;
}

/** `cipherwatch feeds add|list|import|export|remove|enable|disable`: the feeds registry for an operator. */
export function registerFeedsCommand(program: Command, commandOptions: FeedsCommandOptions = {}): void {
  const feeds = program
    .command('feeds')
    .description('add, list, import, export, remove, enable or disable the feeds polled');
  const allowPrivate = (flag: boolean | undefined) => flag === true || loadConfig().allowPrivateNetworks;

  withDataDirOption(
    feeds
      .command('add')
      .description('add a feed to poll (checked now as a poll would check it)')
      .argument('<url>', 'the feed URL (http or https)')
      .option('--name <name>', 'a name to show in digests (default: the host name)')
      .option('--language <tag>', 'BCP 47 language tag, when the feed does not say (e.g. de, pt-BR)')
      .option(
        '--allow-private-networks',
        'allow a feed on loopback or a private network (local testing only)',
      ),
  ).action(
    async (
      url: string,
      options: DataDirOptions & { name?: string; language?: string; allowPrivateNetworks?: boolean },
    ) => {
      const { feed, warning } = await admitFeed(
        { url, name: options.name, language: options.language },
        { allowPrivateNetworks: allowPrivate(options.allowPrivateNetworks), resolve: commandOptions.resolve },
      );
      if (warning) process.stderr.write(`warning: ${warning}\n`);
      await withLocalData(
        options,
        async ({ feeds: repository }) => {
          const existing = await repository.get(feed.id);
          if (existing) {
            throw new UsageError(`${feed.url} is already in the registry, as "${existing.name}".`);
          }
          await repository.add(feed);
        },
        { use: 'create' },
      );
      process.stdout.write(`Added ${feed.name} (${feed.url}); it will be polled in the next round.\n`);
    },
  );

  withDataDirOption(
    feeds
      .command('list')
      .description('list feeds with their URL and health: last success, next poll, last error'),
  )
    .option('--wide', 'every column in full (failures, whole URLs and errors), wider than 100 columns')
    .option('--json', 'print JSON')
    .action(async (options: DataDirOptions & { json?: boolean; wide?: boolean }) => {
      const list = await withLocalData(options, ({ feeds: repository }) => repository.list());
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('No feeds yet. Add one with: cipherwatch feeds add URL --name "Name"\n');
        return;
      }
      process.stdout.write(`${formatFeedList(list, { wide: options.wide === true })}\n`);
      const failing = list.filter((f) => f.enabled && f.consecutiveFailures > 0).length;
      process.stdout.write(
        `\n${plural(list.length, 'feed')}: ${list.filter((f) => f.enabled).length} enabled, ${failing} failing.\n`,
      );
    });

  withDataDirOption(
    feeds
      .command('import')
      .description('add every feed of an OPML subscription list (from any feed reader)')
      .argument('<file>', 'an OPML file, e.g. exported from a feed reader')
      .option('--allow-private-networks', 'allow feeds on loopback or private networks (local testing only)'),
  ).action(async (file: string, options: DataDirOptions & { allowPrivateNetworks?: boolean }) => {
    let xml: string;
    try {
      xml = await readFile(file, 'utf8');
    } catch (cause) {
      throw new InputFileError(file, { cause });
    }
    const entries = feedsFromOpml(xml);
    if (entries.length === 0) throw new UsageError(`${file} lists no feeds (no outline with an xmlUrl).`);
    const refused: string[] = [];
    const admitted: Feed[] = [];
    for (const entry of entries) {
      try {
        const { feed, warning } = await admitFeed(entry, {
          allowPrivateNetworks: allowPrivate(options.allowPrivateNetworks),
          resolve: commandOptions.resolve,
        });
        if (warning) process.stderr.write(`warning: ${warning}\n`);
        admitted.push(feed);
      } catch (error) {
        refused.push(`  refused  ${entry.url}: ${describeError(error)}`);
      }
    }
    const added = await withLocalData(
      options,
      async ({ feeds: repository }) => {
        let count = 0;
        for (const feed of admitted) if (await repository.add(feed)) count++;
        return count;
      },
      { use: 'create' },
    );
    const already = admitted.length - added;
    process.stdout.write(
      `Imported ${file}: ${plural(added, 'feed')} added, ${already} already in the registry, ${refused.length} refused.\n`,
    );
    if (refused.length > 0) process.stdout.write(`${refused.join('\n')}\n`);
    if (added === 0 && already === 0) process.exitCode = 1;
  });

  withDataDirOption(
    feeds
      .command('export')
      .description('print the registry as an OPML 2.0 subscription list (for any feed reader)')
      .option('--output <file>', 'write to this file instead of standard output'),
  ).action(async (options: DataDirOptions & { output?: string }) => {
    const list = await withLocalData(options, ({ feeds: repository }) => repository.list());
    const opml = feedsToOpml(list);
    if (options.output) {
      await writeFile(options.output, opml);
      process.stdout.write(`Wrote ${plural(list.length, 'feed')} to ${options.output}.\n`);
    } else {
      process.stdout.write(opml);
    }
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
