import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { type Classifier, createClassifier } from '#lib/classify/classifier.ts';
import {
  type EvaluationReport,
  evaluate,
  type Metrics,
  type Mistake,
  noTopic,
} from '#lib/classify/evaluate.ts';
import { readJsonLines } from '#lib/classify/json-lines.ts';
import { describeSchemaError, type LabelledItem, labelledItemSchema } from '#lib/classify/labelled-item.ts';
import type { ModelFile } from '#lib/classify/model.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import { readInputFile } from '#lib/cli/input-file.ts';

/** A labelled line that could not be read; it is left out of the scores. */
export interface SkippedLine {
  line: number;
  error: string;
}

/** Reads labelled JSON Lines and scores them; malformed lines are collected, not fatal. */
export async function runEval(
  input: Readable,
  classifier: Classifier,
): Promise<{ report: EvaluationReport; skipped: SkippedLine[] }> {
  const items: LabelledItem[] = [];
  const skipped: SkippedLine[] = [];
  for await (const entry of readJsonLines(input)) {
    if ('error' in entry) {
      skipped.push(entry);
      continue;
    }
    const parsed = labelledItemSchema.safeParse(entry.value);
    if (parsed.success) items.push(parsed.data);
    else skipped.push({ line: entry.line, error: describeSchemaError(parsed.error) });
  }
  return { report: evaluate(items, classifier), skipped };
}

/** A labelled file that gave nothing to score: a perfect score over no items would be a lie. */
export class NothingToScoreError extends Error {
  override name = 'NothingToScoreError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: no item could be scored (${detail}); expected JSON Lines with "id", "title", "labels"`);
  }
}

/** Fails when a report scored nothing, saying what the file held instead. */
export function assertScorable(
  file: string,
  report: EvaluationReport,
  skipped: readonly SkippedLine[],
): void {
  if (report.scored > 0) return;
  const parts: string[] = [];
  if (skipped.length > 0) {
    const first = skipped[0] as SkippedLine;
    parts.push(
      `${skipped.length} unreadable line${skipped.length === 1 ? '' : 's'}, first: line ${first.line}: ${first.error}`,
    );
  }
  if (report.skippedUncertain > 0) parts.push(`${report.skippedUncertain} marked uncertain`);
  throw new NothingToScoreError(file, parts.length > 0 ? parts.join('; ') : 'the file is empty');
}

const fixed = (value: number) => value.toFixed(2);
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;

/** An evaluated file the model learned from: its name in the model, and its figures out of fold. */
export interface TrainedOn {
  source: string;
  outOfFold: { precision: number; recall: number; f1: number } | undefined;
}

/** One evaluated file, named as the person typed it. */
export interface NamedReport {
  name: string;
  report: EvaluationReport;
  skipped: readonly SkippedLine[];
  trainedOn?: TrainedOn | undefined;
}

/** The training file of `model` whose text is exactly `text` (compared by SHA-256), if there is one. */
export function trainedOnFile(model: ModelFile | undefined, text: string): TrainedOn | undefined {
  if (!model) return undefined;
  const digest = createHash('sha256').update(text).digest('hex');
  const source = model.trainedWith.sources.find((entry) => entry.sha256 === digest);
  if (!source) return undefined;
  const outOfFold = model.crossValidated.bySource.find((entry) => entry.name === source.name);
  return {
    source: source.name,
    outOfFold: outOfFold && { precision: outOfFold.precision, recall: outOfFold.recall, f1: outOfFold.f1 },
  };
}

const labelWidth = 22;
const cellWidth = 8;
function metricCells(metrics: Metrics | undefined): string[] {
  if (!metrics) return ['', '', '', ''];
  // With nothing to find, recall and F1 are undefined, and precision is only defined if something was flagged.
  if (metrics.support === 0) {
    const flagged = metrics.falsePositives > 0;
    return [flagged ? fixed(metrics.precision) : '—', '—', '—', '0'];
  }
  return [fixed(metrics.precision), fixed(metrics.recall), fixed(metrics.f1), String(metrics.support)];
}

function row(label: string, perFile: (Metrics | undefined)[]): string {
  const cells = perFile.flatMap(metricCells).map((cell) => cell.padStart(cellWidth));
  const [first] = perFile;
  // The gap is each later file's F1 against the first: how much is lost off the set tuned on.
  const gaps =
    perFile.length > 1
      ? perFile
          .slice(1)
          // F1 is undefined where a file has nothing to find, so there is no gap to show.
          .map((metrics) =>
            (first?.support && metrics?.support ? signed(metrics.f1 - first.f1) : '').padStart(cellWidth + 2),
          )
      : [];
  return `${label.padEnd(labelWidth)}${cells.join('')}${gaps.join('')}`.trimEnd();
}

function mistakeLines(mistake: Mistake): string[] {
  const head = `  [${mistake.topic}] ${fixed(mistake.score)} (threshold ${fixed(mistake.threshold)})  ${mistake.title}`;
  const evidence = mistake.evidence.map(
    (entry) => `      ${entry.learned ? 'weighed' : 'matched'} "${entry.phrase}" in: ${entry.sentence}`,
  );
  return [head, ...(evidence.length > 0 ? evidence : ['      no phrase matched'])];
}

function confusionLines(report: EvaluationReport): string[] {
  if (report.confusion.length === 0) return ['  none'];
  const name = (id: string) => (id === noTopic ? '(no topic)' : id);
  return report.confusion.map(
    (entry) =>
      `  ${String(entry.count).padStart(4)}  labelled ${name(entry.labelled)}, classified ${name(entry.predicted)}`,
  );
}

/**
 * The reports as a person reads them: one table with the files side by side (precision, recall, F1 and
 * support each) and the F1 gap of every later file to the first, rows per language when items carry one;
 * then, per file, a confusion list and every false positive and false negative.
 */
export function formatComparison(files: readonly NamedReport[]): string {
  const reports = files.map((file) => file.report);
  const header = files
    .map((file) => {
      const name =
        file.name.length > cellWidth * 4 - 2 ? `…${file.name.slice(-(cellWidth * 4 - 3))}` : file.name;
      return name.padStart(cellWidth * 4);
    })
    .join('');
  const gapHeader =
    files.length > 1
      ? files
          .slice(1)
          .map(() => 'F1 gap'.padStart(cellWidth + 2))
          .join('')
      : '';
  const columns = files
    .map(() => ['P', 'R', 'F1', 'n'].map((cell) => cell.padStart(cellWidth)).join(''))
    .join('');
  const languages = [
    ...new Set(reports.flatMap((report) => report.languages.map((entry) => entry.language))),
  ];
  const lines = [
    ...files.flatMap((file) => [
      `${file.name}: scored ${file.report.scored} items (${file.report.skippedUncertain} marked uncertain were left out).`,
      ...(file.trainedOn ? [trainedOnLine(file.trainedOn)] : []),
    ]),
    '',
    `${''.padEnd(labelWidth)}${header}`,
    `${'topic'.padEnd(labelWidth)}${columns}${gapHeader}`,
    row(
      'relevant',
      reports.map((report) => report.relevant),
    ),
    ...(reports[0]?.topics ?? []).map((topic, index) =>
      row(
        topic.id,
        reports.map((report) => report.topics[index]),
      ),
    ),
  ];
  if (languages.length > 0) {
    lines.push('', 'relevant, by language');
    for (const language of languages)
      lines.push(
        row(
          `  ${language}`,
          reports.map((report) => report.languages.find((entry) => entry.language === language)?.relevant),
        ),
      );
  }
  for (const file of files) {
    const { report, skipped } = file;
    if (files.length > 1) lines.push('', `── ${file.name} ──`);
    lines.push('', 'Confusions (story labelled one way, classified another)', ...confusionLines(report));
    lines.push(
      '',
      `False positives (${report.falsePositives.length})`,
      ...report.falsePositives.flatMap(mistakeLines),
    );
    lines.push(
      '',
      `False negatives (${report.falseNegatives.length})`,
      ...report.falseNegatives.flatMap(mistakeLines),
    );
    if (skipped.length > 0) {
      lines.push('', `Lines left out because they could not be read (${skipped.length})`);
      lines.push(...skipped.map((entry) => `  line ${entry.line}: ${entry.error}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Says that a file's figures are in-sample, and what the model scored on it out of fold. */
function trainedOnLine({ source, outOfFold }: TrainedOn): string {
  const unseen = outOfFold
    ? `; out of fold, each story scored by a model that never saw it: relevant P ${fixed(outOfFold.precision)}, R ${fixed(outOfFold.recall)}, F1 ${fixed(outOfFold.f1)}`
    : '';
  return `  The model learned from this file (${source}), so its figures below are in-sample${unseen}.`;
}

/** One file's report as text (the single-file form of `formatComparison`). */
export function formatEvaluation(report: EvaluationReport, skipped: readonly SkippedLine[] = []): string {
  return formatComparison([{ name: 'labelled set', report, skipped }]);
}

/** Adds `cipherwatch eval FILE... [--json] [--topics FILE]`. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description(
      'measure the classifier on labelled JSON Lines: precision, recall and F1 per file side by side, then its mistakes',
    )
    .argument(
      '<file...>',
      'labelled JSON Lines: {"id","title","summary","labels":[...],"uncertain"?,"language"?}',
    )
    .option('--json', 'print the metrics and mistakes as JSON')
    .option(
      '--topics <file>',
      'topic pack to use instead of config/topics.yaml (with the classifier-model.json beside it, if there is one)',
    )
    .action(async (fileNames: string[], options: { json?: boolean; topics?: string }) => {
      // Errors go up to main, which prints them as one line.
      const classifier = createClassifier(loadTopicPack(options.topics));
      const files: NamedReport[] = [];
      for (const name of fileNames) {
        // Read once: scored line by line, and hashed to tell whether the model learned from it.
        const text = await readInputFile(name);
        const { report, skipped } = await runEval(Readable.from([text]), classifier);
        assertScorable(name, report, skipped);
        const trainedOn = trainedOnFile(classifier.pack.model?.file, text);
        files.push({ name, report, skipped, trainedOn });
      }
      process.stdout.write(
        options.json
          ? `${JSON.stringify(
              files.map(({ name, report, skipped, trainedOn }) => ({
                file: name,
                ...report,
                skipped,
                trainedOn,
              })),
              null,
              2,
            )}\n`
          : formatComparison(files),
      );
    });
}
