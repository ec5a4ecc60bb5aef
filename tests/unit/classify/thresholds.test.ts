import { describe, expect, it } from 'vitest';
import { choosePrecisionFirstThreshold, figuresAt, weighToShare } from '#lib/classify/training/thresholds.ts';

// Six scored stories, best first: relevant, not, relevant, relevant, not, relevant.
const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
const labels = [1, 0, 1, 1, 0, 1];

describe('precision-first thresholds', () => {
  it('takes the best recall whose precision reaches the target', () => {
    const choice = choosePrecisionFirstThreshold(scores, labels, 0.9);

    expect(choice).toMatchObject({ threshold: 0.85, precision: 1, recall: 0.25 });
    expect(choice.rule).toBe('best recall at precision >= 0.9');
  });

  it('measures precision at another share of relevant stories when stories are weighed', () => {
    // Relevant stories three times as common as in the sample: one false alarm now costs less precision.
    const weights = labels.map((label) => (label ? 3 : 1));

    expect(figuresAt(0.55, scores, labels)).toMatchObject({ precision: 0.75, recall: 0.75 });
    expect(figuresAt(0.55, scores, labels, weights)).toMatchObject({ precision: 0.9, recall: 0.75 });
    expect(choosePrecisionFirstThreshold(scores, labels, 0.9, weights)).toMatchObject({
      threshold: 0.55,
      recall: 0.75,
    });
  });

  it('chooses the same threshold at a reference share however many negatives the sample holds', () => {
    // The same stories with every negative three times over: a sample of a noisier feed mix.
    const noisierScores = [...scores, ...scores.filter((_, index) => !labels[index]).flatMap((s) => [s, s])];
    const noisierLabels = [...labels, 0, 0, 0, 0];
    const atShare = (s: number[], l: number[]) =>
      choosePrecisionFirstThreshold(s, l, 0.9, weighToShare(l, 0.5)).threshold;

    expect(atShare(noisierScores, noisierLabels)).toBe(atShare(scores, labels));
    expect(choosePrecisionFirstThreshold(noisierScores, noisierLabels, 0.7).threshold).toBeGreaterThan(
      choosePrecisionFirstThreshold(scores, labels, 0.7).threshold,
    );
    expect(weighToShare([0, 0], 0.5)).toBeUndefined();
  });

  it('falls back to the best F0.5 when no threshold reaches the target', () => {
    const choice = choosePrecisionFirstThreshold([0.9, 0.8], [0, 1], 0.9);

    expect(choice.rule).toBe('best F0.5 (precision target not reachable)');
    expect(choice.recall).toBe(1);
  });
});
