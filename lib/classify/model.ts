import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { featureHash } from './features.ts';

/** Where `npm run train` writes the model and where the classifier looks for it, beside the topic pack. */
export const defaultModelPath = fileURLToPath(new URL('../../config/classifier-model.json', import.meta.url));
export const modelFileName = 'classifier-model.json';
export const modelFormat = 'cipherwatch-classifier-model';
// 4: thresholds are chosen with the state-angle rule the layer applies (`hasStateAngle`); a model of an
// earlier version was tuned without it and must be retrained.
export const modelVersion = 4;

/** The output that says "relevant or not"; every other output is a topic id. */
export const relevantOutput = 'relevant';

const figures = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

const outputSchema = z.object({
  id: z.string(),
  bias: z.number(),
  /** Probability at or above which the output says yes. */
  threshold: z.number().min(0).max(1),
  /** Probability at or above which the model is sure enough for an instant alert (maps to `alertThreshold`). */
  alertThreshold: z.number().min(0).max(1),
  crossValidation: z.object({
    lambdas: z.array(z.object({ lambda: z.number(), averagePrecision: z.number() })),
    lambda: z.number(),
    threshold: figures.extend({ rule: z.string() }),
    alertThreshold: figures.extend({ rule: z.string() }),
  }),
});

const modelSchema = z.object({
  format: z.literal(modelFormat),
  version: z.literal(modelVersion),
  trainedWith: z.object({
    seed: z.number(),
    folds: z.number(),
    precisionTarget: z.number(),
    alertPrecisionTarget: z.number(),
    /** The share of relevant stories at which the thresholds' precision was measured. */
    referenceRelevantShare: z.number().gt(0).lt(1),
    packSha256: z.string(),
    sources: z.array(z.object({ name: z.string(), items: z.number(), sha256: z.string() })),
    /** Training stories per language (feed language, else guessed; "unknown" when neither tells). */
    languages: z.record(z.string(), z.number()),
    /** Training stories on at least one topic, per language: what the model learned each language's policy words from. */
    relevantByLanguage: z.record(z.string(), z.number()),
  }),
  outputs: z.array(outputSchema).min(1),
  /**
   * Out-of-fold figures of the whole verdict ("relevant or not") with the thresholds above, on whole feed
   * days, at the reference share of relevant stories.
   */
  crossValidated: figures.extend({
    /**
     * The same for each training file, all its stories: how the model fares, unseen, on stories like that
     * file's. Real feed captures scoring well below written sets is the sign to look for.
     */
    bySource: z.array(figures.extend({ name: z.string(), items: z.number() })),
  }),
  features: z.array(z.string()),
  /** One row per feature: its weight for each output, in `outputs` order. */
  weights: z.array(z.array(z.number())),
});

export type ModelFile = z.infer<typeof modelSchema>;
export type ModelOutput = z.infer<typeof outputSchema>;

/** A model file that cannot be used; the message names the file. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/**
 * Feature id to row, by open addressing over typed arrays: a story looks up a few hundred ids, and a Map
 * keyed by 32-bit numbers costs several times more per look-up.
 */
export class FeatureTable {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 3) size *= 2;
    this.keys = new Int32Array(size);
    this.values = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The row of an id, or -1. */
  get(id: number): number {
    let slot = id & this.mask;
    for (;;) {
      const row = this.values[slot] as number;
      if (row < 0 || this.keys[slot] === id) return row;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds an id; false when it is already there. */
  set(id: number, row: number): boolean {
    let slot = id & this.mask;
    while ((this.values[slot] as number) >= 0) {
      if (this.keys[slot] === id) return false;
      slot = (slot + 1) & this.mask;
    }
    this.keys[slot] = id;
    this.values[slot] = row;
    return true;
  }
}

/** A model ready to score: feature hashes to rows of weights, one column per output. */
export interface LinearModel {
  readonly file: ModelFile;
  readonly outputIds: readonly string[];
  /** Row index of each feature id. */
  readonly rows: FeatureTable;
  /** Row-major weights: `weights[row * outputIds.length + output]`. */
  readonly weights: Float64Array;
  readonly biases: Float64Array;
  readonly thresholds: Float64Array;
  readonly alertThresholds: Float64Array;
  /** The name of the feature in a row, for explanations. */
  readonly names: readonly string[];
}

/** Validates a parsed model file and indexes it by feature hash. */
export function compileModel(raw: unknown, fileLabel: string): LinearModel {
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'top level';
    throw new ModelFileError(
      `${fileLabel}: not a Cipherwatch classifier model (${where}: ${issue?.message}); run \`npm run train\` to rebuild it`,
      fileLabel,
    );
  }
  const file = parsed.data;
  const width = file.outputs.length;
  const rows = new FeatureTable(file.features.length);
  const weights = new Float64Array(file.features.length * width);
  file.features.forEach((name, row) => {
    const weightRow = file.weights[row];
    if (weightRow?.length !== width)
      throw new ModelFileError(
        `${fileLabel}: feature "${name}" has ${weightRow?.length ?? 0} weights, expected ${width}`,
        fileLabel,
      );
    // Two names with one id would silently share weights; the trainer never writes such a pair.
    if (!rows.set(featureHash(name), row))
      throw new ModelFileError(`${fileLabel}: features collide on hash (${name})`, fileLabel);
    weightRow.forEach((weight, output) => {
      weights[row * width + output] = weight;
    });
  });
  return {
    file,
    outputIds: file.outputs.map((output) => output.id),
    rows,
    weights,
    biases: Float64Array.from(file.outputs, (output) => output.bias),
    thresholds: Float64Array.from(file.outputs, (output) => output.threshold),
    alertThresholds: Float64Array.from(file.outputs, (output) => output.alertThreshold),
    names: file.features,
  };
}

/** Reads the model beside a topic pack; undefined when there is none (the classifier then runs on rules alone). */
export function loadModelBeside(topicPackPath: string): LinearModel | undefined {
  const modelPath = path.join(path.dirname(topicPackPath), modelFileName);
  let text: string;
  try {
    text = readFileSync(modelPath, 'utf8');
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ENOENT') return undefined;
    throw new ModelFileError(`${modelPath}: cannot read the classifier model`, modelPath);
  }
  const label = path.relative(process.cwd(), modelPath) || modelPath;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ModelFileError(`${label}: not valid JSON; run \`npm run train\` to rebuild it`, label);
  }
  return compileModel(raw, label);
}

/**
 * A language needs this many relevant training stories (on at least one topic) before the model speaks
 * for it: with fewer, it has seen too few of that language's policy words and reads a French policy
 * story as one with no telling words. Such stories keep their rule scores.
 */
export const minRelevantStoriesPerLanguage = 100;

export const sigmoid = (margin: number): number => 1 / (1 + Math.exp(-margin));
