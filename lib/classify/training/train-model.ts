import { createHash } from 'node:crypto';
import { createClassifier } from '../classifier.ts';
import { featureHash, leadTokenCount, textFeatureNames } from '../features.ts';
import { describeSchemaError, type LabelledItem, labelledItemSchema } from '../labelled-item.ts';
import { hasStateAngle, ruleFeatures } from '../learned-layer.ts';
import { type ModelFile, modelFormat, modelVersion, relevantOutput } from '../model.ts';
import type { TopicPack } from '../topic-pack.ts';
import { predict, type SparseVector, seededRandom, shuffle, trainLogistic } from './logistic.ts';
import {
  averagePrecision,
  choosePrecisionFirstThreshold,
  figuresAt,
  type ThresholdFigures,
  weighToShare,
} from './thresholds.ts';

type ThresholdChoice = ThresholdFigures & { rule: string };

/** A labelled file to learn from, already read. */
export interface TrainingSource {
  /** How the model file names it (relative to the project, never a machine path). */
  name: string;
  text: string;
}

export interface TrainingOptions {
  seed: number;
  folds: number;
  epochs: number;
  /** Text features seen in fewer training stories than this are left out (noise, and model size). */
  minDocumentFrequency: number;
  lambdas: readonly number[];
  precisionTarget: number;
  /** Precision an instant alert must reach out of fold: an alert interrupts a person, so near-certain. */
  alertPrecisionTarget: number;
  /** Share of training steps that hide the rule features (see `TrainingSettings.dropout`). */
  ruleDropout: number;
  /** Cross-validation splits whose out-of-fold scores are averaged before thresholds are chosen. */
  thresholdSplits: number;
  /**
   * The share of relevant stories at which thresholds reach their precision targets: that of the shared
   * dev corpus (97 of 525 scored), a sample of the feeds policy teams read. The default feeds, mostly
   * digital-rights and policy desks, carry more; at a higher share the same thresholds are more precise.
   */
  referenceRelevantShare: number;
}

export const defaultTrainingOptions: TrainingOptions = {
  seed: 20_261_130,
  folds: 5,
  epochs: 40,
  minDocumentFrequency: 8,
  // Stronger penalties than 1e-3 were never chosen (out-of-fold average precision falls steadily with the
  // penalty), and weaker ones than 1e-5 scored the same; each grid point costs a cross-validation.
  lambdas: [1e-5, 3e-5, 1e-4, 3e-4, 1e-3],
  precisionTarget: 0.9,
  alertPrecisionTarget: 0.97,
  ruleDropout: 0.5,
  thresholdSplits: 3,
  referenceRelevantShare: 0.18,
};

/** Labelled data the trainer cannot use; the message names the file and line. */
export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

/** Fewer on-topic stories than this in whole feed days, and thresholds are chosen on every item instead. */
const minFeedDayPositives = 20;

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads labelled JSON Lines; uncertain items are left out, a broken line stops training with its place. */
export function parseTrainingItems(source: TrainingSource, topicIds: ReadonlySet<string>): LabelledItem[] {
  const items: LabelledItem[] = [];
  source.text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new TrainingDataError(`${source.name}, line ${index + 1}: not valid JSON`);
    }
    const parsed = labelledItemSchema.safeParse(value);
    if (!parsed.success)
      throw new TrainingDataError(`${source.name}, line ${index + 1}: ${describeSchemaError(parsed.error)}`);
    const unknown = parsed.data.labels.find((label) => !topicIds.has(label));
    if (unknown !== undefined)
      throw new TrainingDataError(`${source.name}, line ${index + 1}: unknown topic "${unknown}"`);
    if (!parsed.data.uncertain) items.push(parsed.data);
  });
  return items;
}

/** One story's features by name: text features at 1/sqrt(n) each, rule features at their own value. */
function namedFeatures(
  pack: TopicPack,
  item: LabelledItem,
  scanRules: ReturnType<typeof createClassifier>['scanRules'],
) {
  const found = scanRules(item);
  const names = textFeatureNames(
    found.titleTokens,
    found.summaryTokens,
    leadTokenCount(found.summary, found.summaryTokens),
  );
  const value = names.length > 0 ? 1 / Math.sqrt(names.length) : 0;
  const features = new Map<string, number>();
  for (const name of names) features.set(name, (features.get(name) ?? 0) + value);
  for (const [name, ruleValue] of ruleFeatures(pack, found)) features.set(name, ruleValue);
  const stateAngle = pack.topics.map((_, index) => hasStateAngle(found, index));
  return { features, language: found.language, stateAngle };
}

/** The feed day a story belongs to ("<source> <YYYY-MM-DD>"), or undefined when it names no source and date. */
export function feedDayKey(item: {
  source?: string | undefined;
  published?: string | undefined;
}): string | undefined {
  const day = item.published?.slice(0, 10);
  return item.source && day ? `${item.source} ${day}` : undefined;
}

/**
 * Stories of one feed on one day share their news and their wording; splitting them across folds would let
 * cross-validation grade a story by its twin. So whole feed-days go to one fold (items without a source
 * and date stand alone), assigned in a seeded order to the fold with the fewest stories so far.
 */
function groupedFolds(items: readonly LabelledItem[], folds: number, seed: number): Int32Array {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = feedDayKey(item) ?? `item ${index}`;
    const members = groups.get(key);
    if (members) members.push(index);
    else groups.set(key, [index]);
  });
  const order = shuffle([...groups.keys()].sort(), seededRandom(seed));
  const sizes = new Array<number>(folds).fill(0);
  const fold = new Int32Array(items.length);
  for (const key of order) {
    const members = groups.get(key) as number[];
    const smallest = sizes.indexOf(Math.min(...sizes));
    for (const index of members) fold[index] = smallest;
    sizes[smallest] = (sizes[smallest] as number) + members.length;
  }
  return fold;
}

export interface TrainingResult {
  model: ModelFile;
  /** The model file's text: stable key order, rounded weights, one feature per line. */
  json: string;
  itemCount: number;
  /**
   * The stories the whole verdict got wrong out of fold, by training file: where a label may be wrong, or
   * where the model has not yet learned how such stories are written (`npm run train -- --mistakes`).
   */
  mistakes: { source: string; item: LabelledItem; verdict: boolean }[];
}

/**
 * Trains the learned layer: one logistic regression per topic plus "relevant", each with the L2 penalty
 * and threshold chosen by cross-validation on the training items only. Deterministic for a given seed.
 */
export function trainModel(
  pack: TopicPack,
  packText: string,
  sources: readonly TrainingSource[],
  options: TrainingOptions = defaultTrainingOptions,
): TrainingResult {
  const topicIds = new Set(pack.topics.map((topic) => topic.id));
  const seenIds = new Set<string>();
  const items: LabelledItem[] = [];
  /** Which source each item came from (its index in `sources`). */
  const sourceOf: number[] = [];
  const sourceSummaries = sources.map((source, sourceIndex) => {
    const parsed = parseTrainingItems(source, topicIds);
    for (const item of parsed) {
      // The same story in two files (a feedback export of a dev item) counts once: the first label wins.
      const key = `${item.id}\u0000${item.title}`;
      if (seenIds.has(key)) continue;
      seenIds.add(key);
      items.push(item);
      sourceOf.push(sourceIndex);
    }
    return { name: source.name, items: parsed.length, sha256: sha256(source.text) };
  });
  const outputIds = [relevantOutput, ...pack.topics.map((topic) => topic.id)];
  for (const id of outputIds) {
    const positives = items.filter((item) =>
      id === relevantOutput ? item.labels.length > 0 : item.labels.includes(id),
    );
    if (positives.length < options.folds || items.length - positives.length < options.folds)
      throw new TrainingDataError(
        `not enough labelled stories for "${id}": ${positives.length} on topic of ${items.length}; need at least ${options.folds} on and off topic`,
      );
  }

  // Rules alone feed the model: the model learns how far to trust them.
  const scanRules = createClassifier({ ...pack, model: undefined }).scanRules;
  const named = items.map((item) => namedFeatures(pack, item, scanRules));
  const languages: Record<string, number> = {};
  const relevantByLanguage: Record<string, number> = {};
  named.forEach(({ language }, index) => {
    const key = language ?? 'unknown';
    languages[key] = (languages[key] ?? 0) + 1;
    if ((items[index] as LabelledItem).labels.length > 0)
      relevantByLanguage[key] = (relevantByLanguage[key] ?? 0) + 1;
  });
  const byName = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  const documentFrequency = new Map<string, number>();
  for (const { features } of named)
    for (const name of features.keys()) documentFrequency.set(name, (documentFrequency.get(name) ?? 0) + 1);
  const usedIds = new Set<number>();
  const vocabulary = [...documentFrequency.entries()]
    .filter(([name, count]) => count >= options.minDocumentFrequency || name.startsWith('r:'))
    .map(([name]) => name)
    .sort()
    // Two names sharing an id would share a weight at run time; the first in order keeps it.
    .filter((name) => {
      const id = featureHash(name);
      if (usedIds.has(id)) return false;
      usedIds.add(id);
      return true;
    });
  const indexOf = new Map(vocabulary.map((name, index) => [name, index]));
  const vectors: SparseVector[] = named.map(({ features }) => {
    const entries = [...features.entries()]
      .map(([name, value]) => [indexOf.get(name), value] as const)
      .filter((entry): entry is readonly [number, number] => entry[0] !== undefined)
      .sort((a, b) => a[0] - b[0]);
    return {
      indices: Int32Array.from(entries, (entry) => entry[0]),
      values: Float64Array.from(entries, (entry) => entry[1]),
    };
  });

  const labelsFor = (id: string) =>
    Uint8Array.from(items, (item) =>
      (id === relevantOutput ? item.labels.length > 0 : item.labels.includes(id)) ? 1 : 0,
    );
  const relevantLabels = labelsFor(relevantOutput);
  const fold = groupedFolds(items, options.folds, options.seed);
  // Further splits of the same items, for thresholds: averaged over several splits, out-of-fold scores
  // depend far less on which stories happened to share a fold.
  const extraSplits = Array.from({ length: options.thresholdSplits - 1 }, (_, split) =>
    groupedFolds(items, options.folds, options.seed + 7919 * (split + 1)),
  );
  const ruleMask = Uint8Array.from(vocabulary, (name) => (name.startsWith('r:') ? 1 : 0));
  const dropout = options.ruleDropout > 0 ? { features: ruleMask, rate: options.ruleDropout } : undefined;

  const outOfFold = (labels: Uint8Array, lambda: number, seedOffset: number, split = fold) => {
    const predictions = new Float64Array(items.length);
    for (let held = 0; held < options.folds; held++) {
      const trainIndices = Array.from(items.keys()).filter((index) => split[index] !== held);
      const model = trainLogistic(
        trainIndices.map((index) => vectors[index] as SparseVector),
        Uint8Array.from(trainIndices, (index) => labels[index] as number),
        vocabulary.length,
        { lambda, epochs: options.epochs, seed: options.seed + seedOffset + held, dropout },
      );
      items.forEach((_, index) => {
        if (split[index] === held) predictions[index] = predict(model, vectors[index] as SparseVector);
      });
    }
    return predictions;
  };

  /** Out-of-fold scores at the chosen penalty, averaged with those of the further splits. */
  const averagedOverSplits = (
    first: ArrayLike<number>,
    labels: Uint8Array,
    lambda: number,
    outputIndex: number,
  ): Float64Array<ArrayBuffer> => {
    const sums = Float64Array.from(first);
    extraSplits.forEach((split, splitIndex) => {
      const more = outOfFold(labels, lambda, outputIndex * 1000 + 100 * (splitIndex + 1), split);
      more.forEach((value, index) => {
        sums[index] = (sums[index] as number) + value;
      });
    });
    return sums.map((sum) => sum / options.thresholdSplits);
  };

  // Precision depends on how rare relevant stories are. The topic-focused example sets hold far more
  // on-topic stories than any feed does, so thresholds are chosen out of fold on whole feed days only
  // (items that name their source): stories as feeds really mix them. Which feeds' days the project could
  // gather sets their share of relevant stories, though, and a threshold must not tighten because someone
  // added a day of celebrity news: the stories are weighed so that relevant ones make up the reference
  // share, and precision is measured at that share.
  const allIndices = Array.from(items.keys());
  const feedDayIndices = allIndices.filter((index) => items[index]?.source !== undefined);
  const weightsFor = (indices: readonly number[]) =>
    weighToShare(
      Uint8Array.from(indices, (index) => relevantLabels[index] as number),
      options.referenceRelevantShare,
    );
  const feedDayWeights = weightsFor(feedDayIndices);
  const allWeights = weightsFor(allIndices);
  const onFeedDays = (scores: ArrayLike<number>, labels: ArrayLike<number>) => {
    const positives = feedDayIndices.filter((index) => labels[index]).length;
    if (positives < minFeedDayPositives) return { scores, labels, weights: allWeights };
    return {
      scores: Float64Array.from(feedDayIndices, (index) => scores[index] as number),
      labels: Uint8Array.from(feedDayIndices, (index) => labels[index] as number),
      weights: feedDayWeights,
    };
  };
  const chooseOnFeedDays = (scores: ArrayLike<number>, labels: ArrayLike<number>, target: number) => {
    const subset = onFeedDays(scores, labels);
    return choosePrecisionFirstThreshold(subset.scores, subset.labels, target, subset.weights);
  };

  const outputs = outputIds.map((id, outputIndex) => {
    const labels = labelsFor(id);
    const tried = options.lambdas.map((lambda) => {
      const predictions = outOfFold(labels, lambda, outputIndex * 1000);
      return { lambda, averagePrecision: round4(averagePrecision(predictions, labels)), predictions };
    });
    // Ties go to the stronger penalty: the simpler model.
    const chosen = tried.reduce((best, next) =>
      next.averagePrecision >= best.averagePrecision ? next : best,
    );
    chosen.predictions = averagedOverSplits(chosen.predictions, labels, chosen.lambda, outputIndex);
    // The alert level: the best recall at the stricter alert precision, never below the threshold.
    const alertChoice = chooseOnFeedDays(chosen.predictions, labels, options.alertPrecisionTarget);
    // Thresholds are chosen on what the layer will say: below the alert level, only with a state angle.
    const topicIndex = outputIndex - 1;
    if (topicIndex >= 0)
      chosen.predictions = chosen.predictions.map((score, index) =>
        named[index]?.stateAngle[topicIndex] || score >= alertChoice.threshold ? score : 0,
      );
    const threshold = chooseOnFeedDays(chosen.predictions, labels, options.precisionTarget);
    const final = trainLogistic(vectors, labels, vocabulary.length, {
      lambda: chosen.lambda,
      epochs: options.epochs,
      seed: options.seed + outputIndex * 1000 + options.folds,
      dropout,
    });
    const lambdas = tried.map(({ lambda, averagePrecision }) => ({ lambda, averagePrecision }));
    const alert: ThresholdChoice =
      alertChoice.threshold >= threshold.threshold
        ? alertChoice
        : { ...threshold, rule: `the threshold itself (${alertChoice.rule} fell below it)` };
    return { id, labels, chosen, lambdas, threshold: threshold as ThresholdChoice, alert, final };
  });

  // "Relevant" gates the topics: a topic says yes at its threshold and only when "relevant" agrees. The
  // gate is chosen on the whole verdict out of fold, the same precision-first way; a gate of 0 lets the
  // topics decide alone when they already reach the precision target.
  const relevant = outputs[0] as (typeof outputs)[number];
  const topicsSay = items.map((_, index) =>
    outputs
      .slice(1)
      .some((output) => (output.chosen.predictions[index] as number) >= output.threshold.threshold),
  );
  const gated = Float64Array.from(items, (_, index) =>
    topicsSay[index] ? (relevant.chosen.predictions[index] as number) : -1,
  );
  const gate = chooseOnFeedDays(gated, relevantLabels, options.precisionTarget);
  relevant.threshold = {
    ...gate,
    threshold: Math.max(0, gate.threshold),
    rule: `gate on the topics: ${gate.rule}`,
  };
  const feedDayVerdict = onFeedDays(gated, relevantLabels);
  const crossValidated = figuresAt(
    relevant.threshold.threshold,
    feedDayVerdict.scores,
    feedDayVerdict.labels,
    feedDayVerdict.weights,
  );
  const bySource = sources.map((source, sourceIndex) => {
    const members = Array.from(items.keys()).filter((index) => sourceOf[index] === sourceIndex);
    const { precision, recall, f1 } = figuresAt(
      relevant.threshold.threshold,
      Float64Array.from(members, (index) => gated[index] as number),
      Uint8Array.from(members, (index) => relevantLabels[index] as number),
    );
    return { name: source.name, items: members.length, precision, recall, f1 };
  });

  const rows = vocabulary
    .map((name, index) => ({
      name,
      weights: outputs.map((output) => round4(output.final.weights[index] as number)),
    }))
    .filter((row) => row.weights.some((weight) => weight !== 0));
  const model: ModelFile = {
    format: modelFormat,
    version: modelVersion,
    trainedWith: {
      seed: options.seed,
      folds: options.folds,
      precisionTarget: options.precisionTarget,
      alertPrecisionTarget: options.alertPrecisionTarget,
      referenceRelevantShare: options.referenceRelevantShare,
      packSha256: sha256(packText),
      sources: sourceSummaries,
      languages: byName(languages),
      relevantByLanguage: byName(relevantByLanguage),
    },
    outputs: outputs.map((output) => ({
      id: output.id,
      bias: round4(output.final.bias),
      threshold: output.threshold.threshold,
      alertThreshold: Math.max(output.alert.threshold, output.threshold.threshold),
      crossValidation: {
        lambdas: output.lambdas,
        lambda: output.chosen.lambda,
        threshold: {
          rule: output.threshold.rule,
          precision: output.threshold.precision,
          recall: output.threshold.recall,
          f1: output.threshold.f1,
        },
        alertThreshold: {
          rule: output.alert.rule,
          precision: output.alert.precision,
          recall: output.alert.recall,
          f1: output.alert.f1,
        },
      },
    })),
    crossValidated: {
      precision: crossValidated.precision,
      recall: crossValidated.recall,
      f1: crossValidated.f1,
      bySource,
    },
    features: rows.map((row) => row.name),
    weights: rows.map((row) => row.weights),
  };
  const judgedRelevant = (index: number) => (gated[index] as number) >= relevant.threshold.threshold;
  const mistakes = Array.from(items.keys())
    .filter((index) => judgedRelevant(index) !== (relevantLabels[index] === 1))
    .map((index) => ({
      source: (sources[sourceOf[index] as number] as TrainingSource).name,
      item: items[index] as LabelledItem,
      verdict: judgedRelevant(index),
    }));
  return { model, json: serializeModel(model), itemCount: items.length, mistakes };
}

/**
 * The model as text: two-space JSON for the settings and figures, one line per feature so a retrained
 * model reads as a diff of features rather than a wall of numbers.
 */
export function serializeModel(model: ModelFile): string {
  const { features, weights, ...head } = model;
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  const featureLines = features.map((name) => `    ${JSON.stringify(name)}`).join(',\n');
  const weightLines = weights.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  return `${headText},\n  "features": [\n${featureLines}\n  ],\n  "weights": [\n${weightLines}\n  ]\n}\n`;
}
