import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { type Classifier, createClassifier } from '#lib/classify/classifier.ts';
import { type EvaluationReport, evaluate, type Metrics, type Mistake } from '#lib/classify/evaluate.ts';
import { readJsonLines } from '#lib/classify/json-lines.ts';
import { describeSchemaError, type LabelledItem, labelledItemSchema } from '#lib/classify/labelled-item.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import { openInputFile } from '#lib/cli/input-file.ts';

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

const fixed = (value: number) => value.toFixed(2);

function metricsRow(label: string, metrics: Metrics): string {
  const cells = [fixed(metrics.precision), fixed(metrics.recall), fixed(metrics.f1), String(metrics.support)];
  return `${label.padEnd(22)}${cells.map((cell) => cell.padStart(10)).join('')}`;
}

function mistakeLines(mistake: Mistake): string[] {
  const head = `  [${mistake.topic}] ${fixed(mistake.score)} (threshold ${fixed(mistake.threshold)})  ${mistake.title}`;
  const evidence = mistake.evidence.map((entry) => `      "${entry.phrase}" in: ${entry.sentence}`);
  return [head, ...(evidence.length > 0 ? evidence : ['      no phrase matched'])];
}

/** The report as a person reads it: a metrics table, then every false positive and false negative. */
export function formatEvaluation(report: EvaluationReport, skipped: readonly SkippedLine[] = []): string {
  const lines = [
    `Scored ${report.scored} items (${report.skippedUncertain} marked uncertain were left out).`,
    '',
    `${'topic'.padEnd(22)}${['precision', 'recall', 'F1', 'support'].map((cell) => cell.padStart(10)).join('')}`,
    metricsRow('relevant', report.relevant),
    ...report.topics.map((topic) => metricsRow(topic.id, topic)),
    '',
    `False positives (${report.falsePositives.length})`,
    ...report.falsePositives.flatMap(mistakeLines),
    '',
    `False negatives (${report.falseNegatives.length})`,
    ...report.falseNegatives.flatMap(mistakeLines),
  ];
  if (skipped.length > 0) {
    lines.push('', `Lines left out because they could not be read (${skipped.length})`);
    lines.push(...skipped.map((entry) => `  line ${entry.line}: ${entry.error}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Adds `cipherwatch eval FILE [--json] [--topics FILE]`. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('measure the classifier on labelled JSON Lines: precision, recall and F1, then its mistakes')
    .argument('<file>', 'labelled JSON Lines: {"id","title","summary","labels":[...],"uncertain"?}')
    .option('--json', 'print the metrics and mistakes as JSON')
    .option('--topics <file>', 'topic pack to use instead of config/topics.yaml')
    .action(async (file: string, options: { json?: boolean; topics?: string }) => {
      // Errors go up to main, which prints them as one line.
      const classifier = createClassifier(loadTopicPack(options.topics));
      const { report, skipped } = await runEval(await openInputFile(file), classifier);
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...report, skipped }, null, 2)}\n`
          : formatEvaluation(report, skipped),
      );
    });
}
