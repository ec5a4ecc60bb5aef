import type { Command } from 'commander';
import { createClassifier } from '#lib/classify/classifier.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import type { ClassifiableText, Classification } from '#lib/classify/types.ts';
import { errorJson, errorLine, UsageError } from '#lib/cli/errors.ts';
import { loadConfig } from '#lib/config.ts';
import { truncate } from '#lib/plain-text.ts';
import { plural } from '#lib/plural.ts';
import type { Resolver } from '#lib/reader/address-guard.ts';
import { fetchFeed } from '#lib/reader/fetch.ts';
import { storyIdFor } from '#lib/stories/normalize.ts';
import { type ProcessedFeed, processFeed } from '#lib/stories/process.ts';
import { type PollAllOptions, runPollRound } from './poll-all.ts';

export interface PollCommandOptions {
  /** Runs a full poll round on the local stack (`poll --all`); tests pass their own. */
  runAll?: (options: PollAllOptions) => Promise<number>;
  /** Builds the classifier; the real topic pack by default (tests pass a stub). */
  createClassifier?: () => { classify(text: ClassifiableText): Classification };
  /** Host name resolver for the fetch; the system resolver by default. */
  resolve?: Resolver;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
}

/** The `--json` shape of one polled feed. */
export interface PollReport {
  feed: { url: string; finalUrl: string; title: string | null; link: string | null; language: string | null };
  items: Array<{
    id: string;
    title: string;
    /** The link as the publisher gave it. */
    link: string;
    /** The link without trackers, as Cipherwatch stores and shows it. */
    canonicalUrl: string;
    published: string;
    relevant: boolean;
    topics: Array<{ id: string; score: number; evidence: Array<{ phrase: string; sentence: string }> }>;
  }>;
}

interface PollFlags {
  dataDir?: string;
  json?: boolean;
  all?: boolean;
  allowPrivateNetworks?: boolean;
  defaultFeeds?: boolean | undefined;
}

/**
 * Adds `cipherwatch poll URL [--json] [--allow-private-networks]`: fetch, parse and classify one feed without
 * storing anything. `poll --all` hands over to `options.runAll` (a poll round on the local stack).
 */
export function registerPollCommand(program: Command, options: PollCommandOptions = {}): void {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  program
    .command('poll')
    .description('fetch, parse and classify one feed without storing anything, and show what was found')
    .argument('[url]', 'the feed URL (http or https)')
    .option('--json', 'print JSON instead of a table')
    .option('--all', 'poll every enabled feed once on the local stack')
    .option(
      '--data-dir <path>',
      'with --all: folder for local data (default: $CIPHERWATCH_HOME or ./.cipherwatch)',
    )
    .option('--allow-private-networks', 'allow feeds on loopback and private networks (local testing only)')
    .option('--no-default-feeds', 'with --all on a new data folder: start without the default feeds')
    .action(async (url: string | undefined, flags: PollFlags) => {
      const json = flags.json === true;
      try {
        const allowPrivateNetworks = flags.allowPrivateNetworks === true || loadConfig().allowPrivateNetworks;
        if (flags.all) {
          if (url !== undefined) throw new UsageError('give either a feed URL or --all, not both');
          const runAll = options.runAll ?? runPollRound;
          process.exitCode = await runAll({
            allowPrivateNetworks,
            json,
            dataDir: flags.dataDir,
            defaultFeeds: flags.defaultFeeds,
          });
          return;
        }
        if (url === undefined) throw new UsageError('give the URL of a feed to poll, or --all');
        const classifier = (options.createClassifier ?? defaultClassifier)();
        const report = await pollOnce(url, {
          allowPrivateNetworks,
          resolve: options.resolve,
          classify: (text) => classifier.classify(text),
        });
        stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : renderPollReport(report));
      } catch (error) {
        stderr.write(`${json ? errorJson(error) : errorLine(error)}\n`);
        process.exitCode = 1;
      }
    });
}

function defaultClassifier() {
  return createClassifier(loadTopicPack());
}

/** Fetches and processes one feed in memory, returning the `--json` report. */
export async function pollOnce(
  url: string,
  options: {
    allowPrivateNetworks: boolean;
    resolve?: Resolver | undefined;
    classify: (text: ClassifiableText) => Classification;
    now?: Date;
  },
): Promise<PollReport> {
  const fetched = await fetchFeed(url, {
    allowPrivateNetworks: options.allowPrivateNetworks,
    resolve: options.resolve,
  });
  if (fetched.status !== 'ok')
    throw new Error('the server answered 304 Not Modified to an unconditional request');
  const processed: ProcessedFeed = await processFeed(
    fetched.body,
    { id: storyIdFor(fetched.finalUrl), url: fetched.finalUrl, name: url },
    options.classify,
    options.now ?? new Date(),
  );
  return {
    feed: {
      url,
      finalUrl: fetched.finalUrl,
      title: processed.feed.title ?? null,
      link: processed.feed.link ?? null,
      language: processed.feed.language ?? null,
    },
    items: processed.items.map((item) => ({
      id: item.id,
      title: item.title,
      link: item.link,
      canonicalUrl: item.canonicalUrl,
      published: item.publishedAt,
      relevant: item.classification.relevant,
      topics: item.classification.topics.map((topic) => ({
        id: topic.id,
        score: topic.score,
        evidence: topic.evidence,
      })),
    })),
  };
}

const TITLE_WIDTH = 60;

/** A table a person can scan: when, what, which topics with scores, and the evidence for each topic. */
export function renderPollReport(report: PollReport): string {
  const relevant = report.items.filter((item) => item.relevant).length;
  const name = report.feed.title ?? report.feed.finalUrl;
  const lines = [
    `${name}  (${report.feed.finalUrl})`,
    `${plural(report.items.length, 'item')}, ${relevant} relevant`,
    '',
  ];
  if (report.items.length === 0) return `${lines.join('\n')}The feed has no items.\n`;
  lines.push(`${'PUBLISHED'.padEnd(17)}  ${'TITLE'.padEnd(TITLE_WIDTH)}  TOPICS`);
  for (const item of report.items) {
    const when = item.published.slice(0, 16).replace('T', ' ');
    const title = truncate(item.title, TITLE_WIDTH).padEnd(TITLE_WIDTH);
    const topics = item.topics.map((topic) => `${topic.id} ${topic.score.toFixed(2)}`).join(', ') || '-';
    lines.push(`${when.padEnd(17)}  ${title}  ${topics}`);
    for (const topic of item.topics) {
      const evidence = topic.evidence[0];
      if (evidence === undefined) continue;
      lines.push(
        `${' '.repeat(19)}why (${topic.id}): "${evidence.phrase}" in "${truncate(evidence.sentence, 100)}"`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
