// `npm run train [-- FILE...] [--out FILE] [--check] [--mistakes NAME]`: trains the classifier's learned layer into
// config/classifier-model.json from the shared dev corpus (when present), the project's own labelled
// examples and any feedback exports given as FILE (JSON Lines: id, title, summary, labels, why).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultModelPath } from '#lib/classify/model.ts';
import { defaultTopicPackPath, parseTopicPack } from '#lib/classify/topic-pack.ts';
import {
  defaultTrainingOptions,
  type TrainingSource,
  trainModel,
} from '#lib/classify/training/train-model.ts';
import { heldOut, sharedDev, sourceName, trainingFiles } from './training-files.ts';

function fail(message: string): never {
  process.stderr.write(`train: ${message}\n`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
    mistakes: { type: 'string' },
  },
});

for (const file of positionals) {
  if (heldOut.includes(path.basename(file)))
    fail(
      `${file} is a measurement set; training on it would make its scores meaningless. Use it with \`cipherwatch eval\`.`,
    );
  if (!existsSync(file)) fail(`${file}: no such file`);
}

const files = trainingFiles(positionals);
if (!existsSync(sharedDev))
  process.stdout.write(
    `Note: ${path.relative(process.cwd(), sharedDev)} is absent, so the model learns from the project's own labelled examples only; it will be weaker than the committed one.\n`,
  );

const packText = readFileSync(defaultTopicPackPath, 'utf8');
const pack = parseTopicPack(packText, 'config/topics.yaml');
const sources: TrainingSource[] = files.map((file) => ({
  name: sourceName(file),
  text: readFileSync(file, 'utf8'),
}));
const started = Date.now();
let result: ReturnType<typeof trainModel>;
try {
  result = trainModel(pack, packText, sources, defaultTrainingOptions);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const outPath = values.out ? path.resolve(values.out) : defaultModelPath;

const lines = [
  `Trained on ${result.itemCount} labelled stories from ${sources.map((source) => source.name).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  '',
  `${'output'.padEnd(22)}${['lambda', 'threshold', 'precision', 'recall', 'F1'].map((cell) => cell.padStart(11)).join('')}   (cross-validated, whole feed days, relevant share ${Math.round(result.model.trainedWith.referenceRelevantShare * 100)} %)`,
  ...result.model.outputs.map((output) => {
    const { lambda, threshold } = output.crossValidation;
    const cells = [
      String(lambda),
      output.threshold.toFixed(3),
      threshold.precision.toFixed(2),
      threshold.recall.toFixed(2),
      threshold.f1.toFixed(2),
    ];
    return `${output.id.padEnd(22)}${cells.map((cell) => cell.padStart(11)).join('')}`;
  }),
  `${'whole verdict'.padEnd(22)}${['', '', result.model.crossValidated.precision.toFixed(2), result.model.crossValidated.recall.toFixed(2), result.model.crossValidated.f1.toFixed(2)].map((cell) => cell.padStart(11)).join('')}`,
  '',
  `${'Whole verdict by training file (its own mix of stories)'.padEnd(60)}${['stories', 'P', 'R', 'F1'].map((cell) => cell.padStart(8)).join('')}`,
  ...result.model.crossValidated.bySource.map(
    (source) =>
      `  ${source.name.padEnd(58)}${[String(source.items), ...[source.precision, source.recall, source.f1].map((figure) => figure.toFixed(2))].map((cell) => cell.padStart(8)).join('')}`,
  ),
  '',
  `${result.model.features.length} features, ${(Buffer.byteLength(result.json) / 1024).toFixed(0)} KB.`,
];
process.stdout.write(`${lines.join('\n')}\n`);

if (values.mistakes !== undefined) {
  const wanted = values.mistakes;
  const shown = result.mistakes.filter((mistake) => mistake.source.includes(wanted));
  process.stdout.write(
    `\nOut of fold, the verdict got ${shown.length} stories of files matching "${wanted}" wrong:\n`,
  );
  for (const { source, item, verdict } of shown) {
    const said = verdict ? 'relevant, labelled not' : `not relevant, labelled ${item.labels.join(', ')}`;
    process.stdout.write(`  ${path.basename(source)} ${item.id}: ${said}\n    ${item.title}\n`);
  }
}

if (values.check) {
  const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
  if (current !== result.json)
    fail(
      `${path.relative(process.cwd(), outPath)} differs from a fresh training run; run \`npm run train\` and commit it.`,
    );
  process.stdout.write(`${path.relative(process.cwd(), outPath)} matches a fresh training run.\n`);
} else {
  writeFileSync(outPath, result.json);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), outPath)}.\n`);
}
