import { sentenceAround } from './evidence-sentence.ts';
import { featureHash, leadTokenCount, ruleFeatureNames } from './features.ts';
import { type LinearModel, minRelevantStoriesPerLanguage, relevantOutput, sigmoid } from './model.ts';
import type { EvidenceSpan, RuleScan } from './rule-scan.ts';
import type { Token } from './tokens.ts';
import type { TopicPack } from './topic-pack.ts';
import type { Evidence } from './types.ts';
import { type RowSink, WordRows } from './word-rows.ts';

/** The learned layer's verdict on one story. */
export interface LearnedScores {
  /** Per pack topic, on the pack's scale: at or above the topic's threshold exactly when the model says yes. */
  topicScores: number[];
  /** Per model output (model order), the probability; empty when the model did not speak. */
  probabilities: Float64Array;
}

export interface LearnedLayer {
  score(found: RuleScan): LearnedScores;
  /** The words the model weighed most for a topic, beyond the rule phrases already shown. */
  explain(found: RuleScan, topicIndex: number, shown: readonly EvidenceSpan[]): Evidence[];
}

/** Learned evidence entries kept per topic, after the rule phrases. */
const maxLearnedEvidence = 2;
/** A word must add at least this much to the topic's log-odds to be named as a reason. */
const minContribution = 0.15;

/** The rule features of a story and their values, by name: shared by the trainer and the layer. */
export function ruleFeatures(pack: TopicPack, found: RuleScan): [string, number][] {
  const features: [string, number][] = [];
  pack.topics.forEach((topic, index) => {
    const score = found.scores[index] as number;
    if (score > 0) features.push([ruleFeatureNames.score(topic.id), score]);
    if (found.titleHits[index]) features.push([ruleFeatureNames.inTitle(topic.id), 1]);
    if (found.vetoed[index]) features.push([ruleFeatureNames.vetoed(topic.id), 1]);
    if (found.states[index]?.hasContext) features.push([ruleFeatureNames.context(topic.id), 1]);
  });
  return features;
}

/**
 * Maps a probability onto the pack's score scale, piece by piece, so that the model's threshold lands on
 * the topic's threshold and its alert threshold on the topic's alert threshold: every reader of scores
 * (digests, instant alerts) keeps its meaning.
 */
export function toPackScale(
  probability: number,
  model: { threshold: number; alertThreshold: number },
  pack: { threshold: number; alertThreshold: number },
): number {
  const points: [number, number][] = [
    [0, 0],
    [model.threshold, pack.threshold],
    [Math.max(model.alertThreshold, model.threshold), pack.alertThreshold],
    [1, 1],
  ];
  for (let index = 1; index < points.length; index++) {
    const [fromP, fromS] = points[index - 1] as [number, number];
    const [toP, toS] = points[index] as [number, number];
    if (probability <= toP && toP > fromP)
      return fromS + ((toS - fromS) * (probability - fromP)) / (toP - fromP);
  }
  return 1;
}

/** Adds up the weights of the features found; one instance is reused, so scoring allocates little. */
class WeightSums implements RowSink {
  sums: Float64Array;
  count = 0;

  constructor(
    private readonly model: LinearModel,
    width: number,
  ) {
    this.sums = new Float64Array(width);
  }

  reset(): void {
    this.sums.fill(0);
    this.count = 0;
  }

  row(row: number): void {
    const width = this.sums.length;
    const offset = row * width;
    for (let output = 0; output < width; output++)
      this.sums[output] = (this.sums[output] as number) + (this.model.weights[offset + output] as number);
  }
}

interface Contribution {
  inTitle: boolean;
  first: number;
  last: number;
  value: number;
}

/** Records, for one output, what each span of words added to the margin. */
class ContributionLog implements RowSink {
  readonly spans = new Map<number, Contribution>();
  count = 0;

  constructor(
    private readonly model: LinearModel,
    private readonly column: number,
  ) {}

  row(row: number, inTitle: boolean, first: number, last: number): void {
    const weight = this.model.weights[row * this.model.outputIds.length + this.column] as number;
    // Spans are short and stories have far fewer than 2^14 words: one number identifies a span.
    const key = (inTitle ? 1 : 0) + first * 2 + last * 32_768;
    const entry = this.spans.get(key);
    if (entry) entry.value += weight;
    else this.spans.set(key, { inTitle, first, last, value: weight });
  }
}

/** Joins a trained model to a topic pack: which column is which topic, which rows are the rule features. */
export function createLearnedLayer(pack: TopicPack, model: LinearModel): LearnedLayer {
  const width = model.outputIds.length;
  const relevantColumn = model.outputIds.indexOf(relevantOutput);
  const topicColumns = pack.topics.map((topic) => model.outputIds.indexOf(topic.id));
  const rowOf = (name: string) => model.rows.get(featureHash(name));
  const ruleRows = pack.topics.map((topic) => ({
    score: rowOf(ruleFeatureNames.score(topic.id)),
    inTitle: rowOf(ruleFeatureNames.inTitle(topic.id)),
    vetoed: rowOf(ruleFeatureNames.vetoed(topic.id)),
    context: rowOf(ruleFeatureNames.context(topic.id)),
  }));
  const sums = new WeightSums(model, width);
  const wordRows = new WordRows(model.rows);
  /** Walks title and summary into `sink`; returns the story's feature count. */
  const walk = (found: RuleScan, sink: RowSink): number =>
    wordRows.walk(found.titleTokens, true, found.titleTokens.length, sink) +
    wordRows.walk(found.summaryTokens, false, leadTokenCount(found.summary, found.summaryTokens), sink);
  const trainedLanguages = model.file.trainedWith.relevantByLanguage;
  const speaks = (language: string | undefined) =>
    language === undefined || (trainedLanguages[language] ?? 0) >= minRelevantStoriesPerLanguage;
  const noProbabilities = new Float64Array(0);

  function addRow(margins: Float64Array, row: number, value: number): void {
    if (row < 0 || value === 0) return;
    for (let output = 0; output < width; output++)
      margins[output] = (margins[output] as number) + value * (model.weights[row * width + output] as number);
  }

  function score(found: RuleScan): LearnedScores {
    if (!speaks(found.language)) return { topicScores: found.scores, probabilities: noProbabilities };
    sums.reset();
    sums.count = walk(found, sums);
    // Each text feature weighs 1/sqrt(n), so a long summary does not outvote a short one by its length.
    const scale = sums.count > 0 ? 1 / Math.sqrt(sums.count) : 0;
    const margins = new Float64Array(width);
    for (let output = 0; output < width; output++)
      margins[output] = (model.biases[output] as number) + (sums.sums[output] as number) * scale;
    ruleRows.forEach((rows, topicIndex) => {
      addRow(margins, rows.score, found.scores[topicIndex] as number);
      addRow(margins, rows.inTitle, found.titleHits[topicIndex] ? 1 : 0);
      addRow(margins, rows.vetoed, found.vetoed[topicIndex] ? 1 : 0);
      addRow(margins, rows.context, found.states[topicIndex]?.hasContext ? 1 : 0);
    });
    const probabilities = margins.map(sigmoid);
    const relevantProbability = relevantColumn >= 0 ? (probabilities[relevantColumn] as number) : 1;
    const relevantThreshold = relevantColumn >= 0 ? (model.thresholds[relevantColumn] as number) : 0;
    const topicScores = pack.topics.map((topic, topicIndex) => {
      const column = topicColumns[topicIndex] as number;
      // A topic the model was not trained on keeps its rule score.
      if (column < 0) return found.scores[topicIndex] as number;
      const probability = probabilities[column] as number;
      const threshold = model.thresholds[column] as number;
      const alertThreshold = model.alertThresholds[column] as number;
      // The topic's own probability decides its score; "relevant" only gates it.
      const yes = probability >= threshold && relevantProbability >= relevantThreshold;
      const scaled = toPackScale(probability, { threshold, alertThreshold }, topic);
      const rounded = Math.floor(scaled * 1000) / 1000;
      return yes ? Math.max(rounded, topic.threshold) : Math.min(rounded, topic.threshold - 0.001);
    });
    return { topicScores, probabilities };
  }

  function explain(found: RuleScan, topicIndex: number, shown: readonly EvidenceSpan[]): Evidence[] {
    const column = topicColumns[topicIndex] as number;
    if (column < 0 || !speaks(found.language)) return [];
    const log = new ContributionLog(model, column);
    log.count = walk(found, log);
    const scale = log.count > 0 ? 1 / Math.sqrt(log.count) : 0;
    const ranked = [...log.spans.values()]
      .map((entry) => ({ ...entry, value: entry.value * scale }))
      .filter((entry) => entry.value >= minContribution)
      .sort((a, b) => b.value - a.value || Number(b.inTitle) - Number(a.inTitle) || a.first - b.first);
    const overlaps = (a: EvidenceSpan, b: EvidenceSpan) =>
      a.inTitle === b.inTitle && a.first <= b.last && b.first <= a.last;
    const taken: EvidenceSpan[] = [...shown];
    const seen = new Set<string>();
    const evidence: Evidence[] = [];
    for (const entry of ranked) {
      if (evidence.length === maxLearnedEvidence) break;
      if (taken.some((span) => overlaps(span, entry))) continue;
      const [source, tokens] = entry.inTitle
        ? [found.title, found.titleTokens]
        : [found.summary, found.summaryTokens];
      const start = (tokens[entry.first] as Token).start;
      const end = (tokens[entry.last] as Token).end;
      const phrase = source.slice(start, end);
      if (seen.has(phrase.toLowerCase())) continue;
      seen.add(phrase.toLowerCase());
      taken.push(entry);
      const sentence = entry.inTitle ? found.title.trim() : sentenceAround(source, start, end);
      evidence.push({ phrase, sentence, learned: true });
    }
    return evidence;
  }

  return { score, explain };
}
