import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { type Classifier, createClassifier } from '#lib/classify/classifier.ts';
import { readJsonLines } from '#lib/classify/json-lines.ts';
import { describeSchemaError, storyLineSchema } from '#lib/classify/labelled-item.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import { openInputFile } from '#lib/cli/input-file.ts';

/**
 * Classifies JSON Lines stories (`{"id","title","summary"}`) and writes one JSON line per story; a malformed
 * line gets `{"line": N, "error": "..."}` and the rest still run. Returns how many lines went each way.
 */
export async function runClassify(
  input: Readable,
  output: Writable,
  classifier: Classifier,
): Promise<{ classified: number; failed: number }> {
  let classified = 0;
  let failed = 0;
  for await (const entry of readJsonLines(input)) {
    let result: object;
    if ('error' in entry) {
      result = entry;
    } else {
      const story = storyLineSchema.safeParse(entry.value);
      result = story.success
        ? { id: story.data.id, ...classifier.classify(story.data) }
        : { line: entry.line, error: describeSchemaError(story.error) };
    }
    if ('error' in result) failed++;
    else classified++;
    if (!output.write(`${JSON.stringify(result)}\n`))
      await new Promise((resolve) => output.once('drain', resolve));
  }
  return { classified, failed };
}

/** Adds `cipherwatch classify [--input FILE] [--topics FILE]`. */
export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description('classify stories from JSON Lines ({"id","title","summary"}); one JSON line out per story')
    .option('--input <file>', 'read stories from this file instead of standard input')
    .option(
      '--topics <file>',
      'topic pack to use instead of config/topics.yaml (with the classifier-model.json beside it, if there is one)',
    )
    .action(async (options: { input?: string; topics?: string }) => {
      // Errors go up to main, which prints them as one line.
      const classifier = createClassifier(loadTopicPack(options.topics));
      const input = options.input ? await openInputFile(options.input) : process.stdin;
      await runClassify(input, process.stdout, classifier);
    });
}
