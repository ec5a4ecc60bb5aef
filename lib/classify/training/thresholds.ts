/** Precision, recall and F1 of "score at or above a threshold says yes". */
export interface ThresholdFigures {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** Average precision: the area under the precision-recall curve, ranking by score (ties broken by order). */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, index) => index).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  let positives = 0;
  for (let index = 0; index < labels.length; index++) positives += labels[index] as number;
  if (positives === 0) return 0;
  let truePositives = 0;
  let sum = 0;
  order.forEach((index, rank) => {
    if (labels[index]) {
      truePositives++;
      sum += truePositives / (rank + 1);
    }
  });
  return sum / positives;
}

/**
 * Weights that make relevant stories (label 1) `share` of the whole, so precision is measured as if
 * stories came in that proportion whatever the sample's own; undefined when the sample holds only one kind.
 */
export function weighToShare(labels: ArrayLike<number>, share: number): Float64Array | undefined {
  let relevant = 0;
  for (let index = 0; index < labels.length; index++) relevant += labels[index] ? 1 : 0;
  const sampleShare = relevant / labels.length;
  if (!(sampleShare > 0 && sampleShare < 1)) return undefined;
  const relevantWeight = share / sampleShare;
  const otherWeight = (1 - share) / (1 - sampleShare);
  return Float64Array.from({ length: labels.length }, (_, index) =>
    labels[index] ? relevantWeight : otherWeight,
  );
}

/**
 * Figures of "score at or above `threshold` says yes". With `weights`, each story counts by its weight: how
 * precision is measured at another share of relevant stories than the sample's.
 */
export function figuresAt(
  threshold: number,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): ThresholdFigures {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (let index = 0; index < scores.length; index++) {
    const yes = (scores[index] as number) >= threshold;
    const weight = weights ? (weights[index] as number) : 1;
    if (yes && labels[index]) truePositives += weight;
    else if (yes) falsePositives += weight;
    else if (labels[index]) falseNegatives += weight;
  }
  const precision =
    truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, precision: round4(precision), recall: round4(recall), f1: round4(f1) };
}

/**
 * Precision first: the threshold with the best recall among those whose precision reaches the target;
 * when none does, the one with the best F0.5 (precision weighed twice recall). The threshold sits halfway
 * between the chosen score and the next lower one, so a story scored like the chosen one still passes.
 */
export function choosePrecisionFirstThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  precisionTarget: number,
  weights?: ArrayLike<number>,
): ThresholdFigures & { rule: string } {
  const distinct = [...new Set(Array.from(scores))].sort((a, b) => b - a);
  let best: ThresholdFigures | undefined;
  let bestByF05: ThresholdFigures | undefined;
  let bestF05 = -1;
  distinct.forEach((candidate, index) => {
    const lower = distinct[index + 1] ?? 0;
    const threshold = (candidate + lower) / 2;
    const figures = figuresAt(threshold, scores, labels, weights);
    if (figures.precision >= precisionTarget && figures.recall > 0 && (!best || figures.recall > best.recall))
      best = figures;
    const { precision, recall } = figures;
    const f05 = precision + recall === 0 ? 0 : (1.25 * precision * recall) / (0.25 * precision + recall);
    if (f05 > bestF05) {
      bestF05 = f05;
      bestByF05 = figures;
    }
  });
  if (best)
    return {
      ...best,
      threshold: round4(best.threshold),
      rule: `best recall at precision >= ${precisionTarget}`,
    };
  const fallback = bestByF05 ?? figuresAt(0.5, scores, labels, weights);
  return {
    ...fallback,
    threshold: round4(fallback.threshold),
    rule: 'best F0.5 (precision target not reachable)',
  };
}
