import type { Classifier } from './classifier.ts';
import type { LabelledItem } from './labelled-item.ts';
import type { Evidence } from './types.ts';

/** Precision, recall and F1 for one yes/no decision, with the counts behind them. */
export interface Metrics {
  precision: number;
  recall: number;
  f1: number;
  /** How many items truly have the label. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** A wrong decision on one topic for one item, with what the classifier saw. */
export interface Mistake {
  id: string;
  title: string;
  topic: string;
  score: number;
  threshold: number;
  evidence: Evidence[];
}

/** "Relevant or not" over the items of one language (items that carry a `language`). */
export interface LanguageMetrics {
  language: string;
  scored: number;
  relevant: Metrics;
}

/** How often a story labelled one way was classified another; `none` stands for "no topic". */
export interface Confusion {
  labelled: string;
  predicted: string;
  count: number;
}

/** The result of scoring a labelled set: "relevant or not", each topic, and every mistake. */
export interface EvaluationReport {
  scored: number;
  skippedUncertain: number;
  relevant: Metrics;
  topics: ({ id: string } & Metrics)[];
  /** Per language, in order of first appearance; empty when no item carries a language. */
  languages: LanguageMetrics[];
  /** Most frequent first. */
  confusion: Confusion[];
  falsePositives: Mistake[];
  falseNegatives: Mistake[];
}

export const noTopic = 'none';

function countConfusions(confusions: Map<string, number>, missed: string[], wrong: string[]): void {
  const add = (labelled: string, predicted: string) => {
    const key = `${labelled}\u0000${predicted}`;
    confusions.set(key, (confusions.get(key) ?? 0) + 1);
  };
  if (missed.length === 0) for (const predicted of wrong) add(noTopic, predicted);
  else if (wrong.length === 0) for (const labelled of missed) add(labelled, noTopic);
  else for (const labelled of missed) for (const predicted of wrong) add(labelled, predicted);
}

interface Counts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function toMetrics({ truePositives, falsePositives, falseNegatives }: Counts): Metrics {
  const precision =
    truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision: round(precision),
    recall: round(recall),
    f1: round(f1),
    support: truePositives + falseNegatives,
    truePositives,
    falsePositives,
    falseNegatives,
  };
}

function tally(counts: Counts, predicted: boolean, actual: boolean): void {
  if (predicted && actual) counts.truePositives++;
  else if (predicted) counts.falsePositives++;
  else if (actual) counts.falseNegatives++;
}

/** Scores labelled items with a classifier; items marked uncertain are left out. Pure. */
export function evaluate(items: Iterable<LabelledItem>, classifier: Classifier): EvaluationReport {
  const { topics } = classifier.pack;
  const relevant: Counts = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  const perTopic: Counts[] = topics.map(() => ({ truePositives: 0, falsePositives: 0, falseNegatives: 0 }));
  const falsePositives: Mistake[] = [];
  const falseNegatives: Mistake[] = [];
  let scored = 0;
  let skippedUncertain = 0;
  const byLanguage = new Map<string, { scored: number; counts: Counts }>();
  const confusions = new Map<string, number>();

  for (const item of items) {
    if (item.uncertain) {
      skippedUncertain++;
      continue;
    }
    scored++;
    const matches = classifier.scoreAll(item);
    let anyPredicted = false;
    const missed: string[] = [];
    const wrong: string[] = [];
    matches.forEach((match, index) => {
      const topic = topics[index];
      if (!topic) return;
      const predicted = match.score >= topic.threshold;
      const actual = item.labels.includes(topic.id);
      anyPredicted ||= predicted;
      tally(perTopic[index] as Counts, predicted, actual);
      if (predicted === actual) return;
      const mistake = {
        id: item.id,
        title: item.title,
        topic: topic.id,
        score: match.score,
        threshold: topic.threshold,
      };
      (predicted ? falsePositives : falseNegatives).push({ ...mistake, evidence: match.evidence });
      (predicted ? wrong : missed).push(topic.id);
    });
    tally(relevant, anyPredicted, item.labels.length > 0);
    countConfusions(confusions, missed, wrong);
    if (item.language) {
      let entry = byLanguage.get(item.language);
      if (!entry) {
        entry = { scored: 0, counts: { truePositives: 0, falsePositives: 0, falseNegatives: 0 } };
        byLanguage.set(item.language, entry);
      }
      entry.scored++;
      tally(entry.counts, anyPredicted, item.labels.length > 0);
    }
  }

  return {
    scored,
    skippedUncertain,
    relevant: toMetrics(relevant),
    topics: topics.map((topic, index) => ({ id: topic.id, ...toMetrics(perTopic[index] as Counts) })),
    languages: Array.from(byLanguage, ([language, entry]) => ({
      language,
      scored: entry.scored,
      relevant: toMetrics(entry.counts),
    })),
    confusion: Array.from(confusions, ([key, count]) => {
      const [labelled = '', predicted = ''] = key.split('\u0000');
      return { labelled, predicted, count };
    }).sort(
      (a, b) =>
        b.count - a.count || a.labelled.localeCompare(b.labelled) || a.predicted.localeCompare(b.predicted),
    ),
    falsePositives,
    falseNegatives,
  };
}
