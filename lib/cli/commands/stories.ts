import type { Command } from 'commander';
import { parseDuration } from '#lib/cli/commands/digest.ts';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { topicIdsForHelp } from '#lib/cli/subscriber-options.ts';
import { formatTable } from '#lib/cli/table.ts';
import { truncate } from '#lib/plain-text.ts';
import { plural } from '#lib/plural.ts';
import type { Story } from '#lib/stories/story.ts';

interface ListOptions {
  dataDir?: string;
  topic?: string;
  since: string;
  relevant?: boolean;
  search?: string;
  limit: string;
  json?: boolean;
}

/** How much of a story id `stories list` shows; `stories show` accepts any prefix this long or longer. */
const SHORT_ID = 10;

/** `cipherwatch stories list|show`: what has been stored, without waiting for a digest. */
export function registerStoriesCommand(program: Command): void {
  const stories = program
    .command('stories')
    .description('list stored stories, or show one with its evidence');

  withDataDirOption(
    stories
      .command('list')
      .description('stories first seen recently, newest first, with their topics')
      .option('--topic <id>', `only stories on this topic: ${topicIdsForHelp()}`)
      .option('--since <duration>', 'first seen within this long, e.g. 90m, 24h or 7d', '24h')
      .option('--relevant', 'only stories on at least one topic')
      .option('--search <words>', 'only stories whose title or summary contains every word')
      .option('--limit <n>', 'show at most this many', '50')
      .option('--json', 'print JSON (every field, no limit)'),
  ).action(async (options: ListOptions) => {
    const since = new Date(Date.now() - parseDuration(options.since, '--since'));
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`--limit must be a whole number above 0 (got "${options.limit}").`);
    }
    const found = await withLocalData(options, async ({ stories: repository, classifier }) => {
      const topicIds = classifier.pack.topics.map((topic) => topic.id);
      if (options.topic && !topicIds.includes(options.topic)) {
        throw new UsageError(
          `--topic: unknown topic "${options.topic}" (choose from ${topicIds.join(', ')})`,
        );
      }
      return repository.listFirstSeenSince(since);
    });
    const words = (options.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const matching = found
      .filter((story) => !options.relevant || story.topics.length > 0)
      .filter((story) => !options.topic || story.topics.some((topic) => topic.id === options.topic))
      .filter((story) => {
        const text = `${story.title} ${story.summary}`.toLowerCase();
        return words.every((word) => text.includes(word));
      })
      .sort(
        (a, b) => b.firstSeenAt.localeCompare(a.firstSeenAt) || b.publishedAt.localeCompare(a.publishedAt),
      );
    if (options.json) {
      process.stdout.write(`${JSON.stringify(matching, null, 2)}\n`);
      return;
    }
    if (matching.length === 0) {
      process.stdout.write(`No stories first seen in the last ${options.since} match.\n`);
      return;
    }
    const shown = matching.slice(0, limit);
    const rows = shown.map((story) => [
      story.id.slice(0, SHORT_ID),
      story.publishedAt.slice(0, 16).replace('T', ' '),
      truncate(story.title, 50),
      story.topics.map((topic) => `${topic.id} ${topic.score.toFixed(2)}`).join(', ') || '-',
    ]);
    process.stdout.write(`${formatTable(['id', 'published (UTC)', 'title', 'topics'], rows)}\n`);
    const more = matching.length > shown.length ? ` (${shown.length} shown; --limit for more)` : '';
    process.stdout.write(
      `\n${plural(matching.length, 'story', 'stories')} first seen in the last ${options.since}${more}. ` +
        'Details: cipherwatch stories show ID\n',
    );
  });

  withDataDirOption(
    stories
      .command('show')
      .description('one story: sources, topics, scores and the evidence for each')
      .argument('<id>', `the story id, or its first ${SHORT_ID} characters as stories list shows them`)
      .option('--json', 'print JSON'),
  ).action(async (id: string, options: { dataDir?: string; json?: boolean }) => {
    const prefix = id.trim().toLowerCase();
    if (!/^[0-9a-f]{6,32}$/.test(prefix)) {
      throw new UsageError(
        `"${id}" is not a story id (6 to 32 hexadecimal characters, see cipherwatch stories list).`,
      );
    }
    const found = await withLocalData(options, async ({ stories: repository }) =>
      prefix.length === 32 ? repository.getMany([prefix]) : repository.findByIdPrefix(prefix),
    );
    if (found.length === 0) throw new UsageError(`No story has the id ${id}.`);
    if (found.length > 1) {
      throw new UsageError(`${id} matches ${found.length} stories; give more of the id.`);
    }
    const story = found[0] as Story;
    process.stdout.write(options.json ? `${JSON.stringify(story, null, 2)}\n` : formatStory(story));
  });
}

/** A story as a person reads it: what, when, where from, and why it is (or is not) on each topic. */
export function formatStory(story: Story): string {
  const lines = [
    story.title,
    story.link,
    '',
    `id          ${story.id}`,
    `published   ${story.publishedAt}`,
    `first seen  ${story.firstSeenAt}`,
    ...(story.language ? [`language    ${story.language}`] : []),
    ...(story.clusterId !== story.id
      ? [`cluster     ${story.clusterId} (a syndicated copy of another story)`]
      : []),
    '',
    'sources',
    ...story.sources.map((source) => `  ${source.feedName}  ${source.link}`),
    '',
  ];
  if (story.topics.length === 0) {
    lines.push('topics      none (not relevant to any topic)');
  } else {
    lines.push('topics');
    for (const topic of story.topics) {
      lines.push(`  ${topic.id}  ${topic.score.toFixed(2)}`);
      for (const evidence of topic.evidence) {
        lines.push(`    "${evidence.phrase}" in "${truncate(evidence.sentence, 160)}"`);
      }
    }
  }
  if (story.summary) lines.push('', truncate(story.summary, 600));
  return `${lines.join('\n')}\n`;
}
