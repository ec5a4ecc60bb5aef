/** A story as the trainer sees it: feature indices and values, sorted by index. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same model, byte for byte. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle driven by `random`, in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
}

export interface TrainingSettings {
  /** L2 penalty per example. */
  lambda: number;
  epochs: number;
  seed: number;
  /**
   * Features hidden from a share of the steps (inverted dropout): the rule features, so the model cannot
   * lean on the topic pack alone and its word features learn to stand, and to object, by themselves.
   */
  dropout?: { features: Uint8Array; rate: number } | undefined;
}

const initialRate = 0.5;

/**
 * Logistic regression with an L2 penalty, fitted by stochastic gradient descent in a seeded order. The
 * penalty shrinks every weight at each step; keeping the weights as `scale * raw` makes that one multiply
 * instead of a pass over the whole vocabulary.
 */
export function trainLogistic(
  examples: readonly SparseVector[],
  labels: Uint8Array,
  featureCount: number,
  { lambda, epochs, seed, dropout }: TrainingSettings,
): LogisticModel {
  const keptScale = dropout ? 1 / (1 - dropout.rate) : 1;
  const raw = new Float64Array(featureCount);
  let scale = 1;
  let bias = 0;
  const random = seededRandom(seed);
  const order = Array.from(examples.keys());
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (const exampleIndex of order) {
      const example = examples[exampleIndex] as SparseVector;
      const rate = initialRate / (1 + initialRate * lambda * step++);
      // One draw per step decides whether this presentation hides the droppable features.
      const hide = dropout !== undefined && random() < dropout.rate;
      const presented = (entry: number): number => {
        const value = example.values[entry] as number;
        if (!dropout?.features[example.indices[entry] as number]) return value;
        return hide ? 0 : value * keptScale;
      };
      let margin = 0;
      for (let entry = 0; entry < example.indices.length; entry++)
        margin += (raw[example.indices[entry] as number] as number) * presented(entry);
      margin = margin * scale + bias;
      const gradient = 1 / (1 + Math.exp(-margin)) - (labels[exampleIndex] as number);
      scale *= 1 - rate * lambda;
      const update = (rate * gradient) / scale;
      for (let entry = 0; entry < example.indices.length; entry++) {
        const feature = example.indices[entry] as number;
        raw[feature] = (raw[feature] as number) - update * presented(entry);
      }
      bias -= rate * gradient;
      // Fold the scale back in before it underflows.
      if (scale < 1e-6) {
        for (let feature = 0; feature < featureCount; feature++)
          raw[feature] = (raw[feature] as number) * scale;
        scale = 1;
      }
    }
  }
  for (let feature = 0; feature < featureCount; feature++) raw[feature] = (raw[feature] as number) * scale;
  return { weights: raw, bias };
}

export function predict(model: LogisticModel, example: SparseVector): number {
  let margin = model.bias;
  for (let entry = 0; entry < example.indices.length; entry++)
    margin += (model.weights[example.indices[entry] as number] as number) * (example.values[entry] as number);
  return 1 / (1 + Math.exp(-margin));
}
