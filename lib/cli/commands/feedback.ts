import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { feedbackToCorpus } from '#lib/classify/reader-feedback.ts';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { plural } from '#lib/plural.ts';

/** `cipherwatch feedback export`: readers' "not relevant" answers as a labelled corpus for the classifier. */
export function registerFeedbackCommand(program: Command): void {
  const feedback = program.command('feedback').description("export readers' feedback on stories");
  withDataDirOption(
    feedback
      .command('export')
      .description(
        'write feedback as JSON Lines in the labelled-corpus format (id, title, summary, labels, why)',
      )
      .option('--output <file>', 'write to this file instead of standard output'),
  ).action(async (options: { dataDir?: string; output?: string }) => {
    const records = await withLocalData(options, ({ feedback: repository }) => repository.listAll());
    const lines = feedbackToCorpus(records).map((line) => `${JSON.stringify(line)}\n`);
    if (options.output) {
      await writeFile(options.output, lines.join(''));
      process.stderr.write(
        `Wrote ${plural(lines.length, 'story', 'stories')} with feedback to ${options.output}.\n`,
      );
    } else {
      process.stdout.write(lines.join(''));
      if (lines.length === 0) process.stderr.write('No feedback yet.\n');
    }
  });
}
