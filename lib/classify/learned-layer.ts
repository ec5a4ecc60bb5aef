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
  // Three straight pieces through (0, 0), (threshold), (alert threshold) and (1, 1); written out, as
  // scoring calls this for every topic of every story.
  const threshold = model.threshold;
  const alert = Math.max(model.alertThreshold, threshold);
  if (probability <= threshold && threshold > 0) return (pack.threshold * probability) / threshold;
  if (probability <= alert && alert > threshold)
    return (
      pack.threshold +
      ((pack.alertThreshold - pack.threshold) * (probability - threshold)) / (alert - threshold)
    );
  if (probability <= 1 && alert < 1)
    return pack.alertThreshold + ((1 - pack.alertThreshold) * (probability - alert)) / (1 - alert);
  return 1;
}

/**
 * Whether the rules saw the state angle the labelling guide asks for: one of the topic's context cues (a
 * government, a regulator, a court, a law) and none of its negative cues (a product review, ransomware,
 * tabloid hacking). Without it a topic says yes only at its alert level: words alone make a phone review
 * read like encryption policy. The trainer chooses the thresholds with the same rule.
 */
export function hasStateAngle(found: RuleScan, topicIndex: number): boolean {
  return found.states[topicIndex]?.hasContext === true && found.vetoed[topicIndex] !== true;
}

/**
 * The model rows one story's words reached, with the words each came from, in the order the walk found
 * them. Scoring adds their weights up; explaining reads the same record for one topic's column, so a
 * story's words are walked once however many topics it names. One instance is reused across stories.
 */
class WalkRecord implements RowSink {
  rows = new Int32Array(256);
  /** The words of each row as one number: whether in the title, first and last token (see `spanKey`). */
  spans = new Int32Array(256);
  length = 0;
  /** How many text features the story has, known to the model or not (its 1/sqrt(n) scale). */
  featureCount = 0;
  /** The scan this record belongs to; explaining any other scan walks it afresh. */
  scan: RuleScan | undefined;

  reset(scan: RuleScan): void {
    this.length = 0;
    this.featureCount = 0;
    this.scan = scan;
  }

  row(row: number, inTitle: boolean, first: number, last: number): void {
    if (this.length === this.rows.length) {
      const rows = new Int32Array(this.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const spans = new Int32Array(this.length * 2);
      spans.set(this.spans);
      this.spans = spans;
    }
    this.rows[this.length] = row;
    this.spans[this.length] = spanKey(inTitle, first, last);
    this.length++;
  }
}

interface Contribution extends EvidenceSpan {
  value: number;
}

// Spans are short and stories have far fewer than 2^14 words: one number identifies a span.
const spanKey = (inTitle: boolean, first: number, last: number) =>
  (inTitle ? 1 : 0) + first * 2 + last * 32_768;

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
  const record = new WalkRecord();
  const wordRows = new WordRows(model.rows);
  /** Walks title and summary into the record, unless it already holds this scan. */
  const walk = (found: RuleScan): WalkRecord => {
    if (record.scan === found) return record;
    record.reset(found);
    record.featureCount =
      wordRows.walk(found.titleTokens, true, found.titleTokens.length, record) +
      wordRows.walk(found.summaryTokens, false, leadTokenCount(found.summary, found.summaryTokens), record);
    return record;
  };
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
    const walked = walk(found);
    const margins = new Float64Array(width);
    for (let at = 0; at < walked.length; at++) {
      const offset = (walked.rows[at] as number) * width;
      for (let output = 0; output < width; output++)
        margins[output] = (margins[output] as number) + (model.weights[offset + output] as number);
    }
    // Each text feature weighs 1/sqrt(n), so a long summary does not outvote a short one by its length.
    const scale = walked.featureCount > 0 ? 1 / Math.sqrt(walked.featureCount) : 0;
    for (let output = 0; output < width; output++)
      margins[output] = (model.biases[output] as number) + (margins[output] as number) * scale;
    ruleRows.forEach((rows, topicIndex) => {
      addRow(margins, rows.score, found.scores[topicIndex] as number);
      addRow(margins, rows.inTitle, found.titleHits[topicIndex] ? 1 : 0);
      addRow(margins, rows.vetoed, found.vetoed[topicIndex] ? 1 : 0);
      addRow(margins, rows.context, found.states[topicIndex]?.hasContext ? 1 : 0);
    });
    const probabilities = new Float64Array(width);
    for (let output = 0; output < width; output++) probabilities[output] = sigmoid(margins[output] as number);
    const relevantProbability = relevantColumn >= 0 ? (probabilities[relevantColumn] as number) : 1;
    const relevantThreshold = relevantColumn >= 0 ? (model.thresholds[relevantColumn] as number) : 0;
    const topicScores: number[] = [];
    for (let topicIndex = 0; topicIndex < pack.topics.length; topicIndex++) {
      const topic = pack.topics[topicIndex] as TopicPack['topics'][number];
      const column = topicColumns[topicIndex] as number;
      // A topic the model was not trained on keeps its rule score.
      if (column < 0) {
        topicScores.push(found.scores[topicIndex] as number);
        continue;
      }
      const probability = probabilities[column] as number;
      const threshold = model.thresholds[column] as number;
      const alertThreshold = model.alertThresholds[column] as number;
      // The topic's own probability decides its score; "relevant" only gates it.
      const yes =
        probability >= threshold &&
        relevantProbability >= relevantThreshold &&
        (hasStateAngle(found, topicIndex) || probability >= alertThreshold);
      const scaled = toPackScale(probability, { threshold, alertThreshold }, topic);
      const rounded = Math.floor(scaled * 1000) / 1000;
      topicScores.push(yes ? Math.max(rounded, topic.threshold) : Math.min(rounded, topic.threshold - 0.001));
    }
    return { topicScores, probabilities };
  }

  function explain(found: RuleScan, topicIndex: number, shown: readonly EvidenceSpan[]): Evidence[] {
    const column = topicColumns[topicIndex] as number;
    if (column < 0 || !speaks(found.language)) return [];
    const walked = walk(found);
    // What each span of words added to this topic's margin. The walk reports a span's rows one after
    // another (a word's own rows, then its lead row; a bigram's single row), so a run of equal spans sums
    // one span's contribution.
    const scale = walked.featureCount > 0 ? 1 / Math.sqrt(walked.featureCount) : 0;
    const ranked: Contribution[] = [];
    for (let at = 0; at < walked.length; ) {
      const key = walked.spans[at] as number;
      let sum = 0;
      for (; at < walked.length && walked.spans[at] === key; at++)
        sum += model.weights[(walked.rows[at] as number) * width + column] as number;
      const value = sum * scale;
      if (value >= minContribution)
        ranked.push({ inTitle: (key & 1) === 1, first: (key >>> 1) & 16_383, last: key >>> 15, value });
    }
    ranked.sort((a, b) => b.value - a.value || Number(b.inTitle) - Number(a.inTitle) || a.first - b.first);
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
