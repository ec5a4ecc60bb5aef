// `npm run learning-curve -- CHECK_FILE... [--fractions 0.25,0.5,0.75,1]`: trains the learned layer on shares
// of its training stories (whole feed days drawn at random, the same draw every run) and scores each model
// on labelled files it never learns from, such as ../shared/corpus/valid.jsonl. A curve still rising at the
// full share says more labelled stories will help; a flat one says the model, not the data, is the limit.
// Nothing is written: the committed model stays as it is.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClassifier } from '#lib/classify/classifier.ts';
import { evaluate } from '#lib/classify/evaluate.ts';
import { compileModel } from '#lib/classify/model.ts';
import { defaultTopicPackPath, parseTopicPack } from '#lib/classify/topic-pack.ts';
import {
  defaultTrainingOptions,
  feedDayKey,
  parseTrainingItems,
  trainModel,
} from '#lib/classify/training/train-model.ts';
import { sourceName, trainingFiles } from './training-files.ts';

function fail(message: string): never {
  process.stderr.write(`learning-curve: ${message}\n`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { fractions: { type: 'string', default: '0.25,0.5,0.75,1' } },
});
if (positionals.length === 0)
  fail('name at least one labelled file to check the models on, e.g. ../shared/corpus/valid.jsonl');
const fractions = values.fractions.split(',').map(Number);
if (fractions.some((fraction) => !(fraction > 0 && fraction <= 1)))
  fail(`--fractions takes shares between 0 and 1, such as 0.25,0.5,1 (got "${values.fractions}")`);

const packText = readFileSync(defaultTopicPackPath, 'utf8');
const pack = parseTopicPack(packText, 'config/topics.yaml');
const topicIds = new Set(pack.topics.map((topic) => topic.id));
const checks = positionals.map((file) => {
  if (!existsSync(file)) fail(`${file}: no such file`);
  try {
    return {
      name: path.basename(file),
      items: parseTrainingItems({ name: file, text: readFileSync(file, 'utf8') }, topicIds),
    };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
});
const files = trainingFiles();

/** Keeps a story when its feed day (or, standing alone, the story) draws below the share. */
function keeps(line: string, fraction: number): boolean {
  if (fraction >= 1) return true;
  let item: { id?: unknown; source?: string; published?: string };
  try {
    item = JSON.parse(line);
  } catch {
    return true; // the trainer then names the broken line
  }
  const key = feedDayKey(item) ?? `item ${String(item.id)}`;
  const draw = createHash('sha256').update(`${defaultTrainingOptions.seed} ${key}`).digest().readUInt32BE(0);
  return draw / 2 ** 32 < fraction;
}

const header = ['share', 'stories', 'relevant', ...checks.flatMap(({ name }) => [`${name} P`, 'R', 'F1'])];
process.stdout.write(`${header.join('\t')}\n`);
for (const fraction of fractions) {
  process.stderr.write(`Training on ${Math.round(fraction * 100)} % of the training stories…\n`);
  const sources = files.map((file) => ({
    name: sourceName(file),
    text: readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && keeps(line, fraction))
      .join('\n'),
  }));
  const { json, itemCount } = trainModel(pack, packText, sources, defaultTrainingOptions);
  const model = compileModel(JSON.parse(json), `model at ${fraction}`);
  const classifier = createClassifier({ ...pack, model });
  const relevant = Object.values(model.file.trainedWith.relevantByLanguage).reduce((sum, n) => sum + n, 0);
  const cells = checks.flatMap(({ items }) => {
    const figures = evaluate(items, classifier).relevant;
    return [figures.precision, figures.recall, figures.f1].map((figure) => figure.toFixed(2));
  });
  process.stdout.write(`${[fraction, itemCount, relevant, ...cells].join('\t')}\n`);
}
