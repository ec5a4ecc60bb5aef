// A topic pack's shape and its validation, apart from the YAML it is written in: Lambda bundles carry
// the pack as JSON (compiled at synth time), so they need neither the YAML parser nor the source file.
import * as z from 'zod';
import { type PackLanguage, packLanguages } from './language.ts';
import type { LinearModel } from './model.ts';

/** A group of phrases sharing one weight. A phrase is words; `word*` matches a prefix, `*word` a suffix. */
export interface SignalGroup {
  phrases: string[];
  /** How much one of these phrases alone says the story is on topic (0 to 1). */
  weight: number;
  /** True when the phrase only counts fully next to a context cue (a government, a court, a law...). */
  needsContext: boolean;
  /**
   * True for words that only back up another signal ("online", "WhatsApp", "tracking"): without a main
   * signal of the topic they count `scoring.supportingAlone` of their weight, so a pile of them is not a story.
   */
  supporting: boolean;
  /** When set, the phrases count only in stories written in this language (a pack language code). */
  language?: PackLanguage | undefined;
  /** Why the phrases stand although fewer than two labelled items back them (checked by a test). */
  reason?: string | undefined;
}

/** Phrases that mark a false friend; a match multiplies the topic's score by `factor` (0 vetoes). */
export interface NegativeGroup {
  phrases: string[];
  factor: number;
  /** When set, the false friend counts only in this language ("reconnaissance" is not French "reconnaissance faciale"). */
  language?: PackLanguage | undefined;
}

/** One topic as a subscriber sees it and as the classifier scores it. */
export interface TopicDefinition {
  id: string;
  name: string;
  description: string;
  /** Score at or above which a story is on this topic. */
  threshold: number;
  /** Score at or above which `instant` subscribers get an alert; higher than `threshold`. */
  alertThreshold: number;
  signals: SignalGroup[];
  /** Context cues: phrases that make a mention a policy story (named cue sets already expanded). */
  context: string[];
  negatives: NegativeGroup[];
  /**
   * Phrases that contain a signal but mean something else ("artificial intelligence", "surveillance
   * footage"): a signal found inside one does not count, while the rest of the story still does.
   */
  masks: string[];
}

/** How matches turn into a score. */
export interface ScoringSettings {
  /** Multiplier for a signal found in the title (the result is capped below 1). */
  titleBoost: number;
  /** Share of a context-dependent signal's weight that counts when no context cue is present. */
  withoutContext: number;
  /** Share of a supporting signal's weight that counts when no main signal of the topic matched. */
  supportingAlone: number;
}

/** Every topic the classifier knows, loaded from a YAML file a user can edit. */
export interface TopicPack {
  topics: TopicDefinition[];
  scoring: ScoringSettings;
  /** The file the pack came from, as given to the loader (for messages). */
  source: string;
  /** The learned layer trained beside this pack (`config/classifier-model.json`); absent: rules alone. */
  model?: LinearModel | undefined;
}

/** A topic pack that cannot be used; the message names the file, the topic and the field. */
export class TopicPackError extends Error {
  override name = 'TopicPackError';
  constructor(
    message: string,
    readonly file: string,
    readonly topicId?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const unit = (what: string) =>
  z
    .number({ error: `expected ${what} between 0 and 1` })
    .min(0, `expected ${what} between 0 and 1`)
    .max(1, {
      error: `expected ${what} between 0 and 1`,
    });

const phrase = z
  .string({ error: 'expected a phrase (text)' })
  .trim()
  .min(1, 'expected a non-empty phrase')
  .refine((text) => wildcardProblem(text) === undefined, {
    error: (issue) => wildcardProblem(String(issue.input)) ?? 'invalid phrase',
  });

const phraseList = z
  .array(phrase, { error: 'expected a list of phrases' })
  .min(1, 'expected at least one phrase');

const languageSchema = z.enum(packLanguages, { error: `expected one of ${packLanguages.join(', ')}` });

const signalSchema = z.strictObject({
  phrases: phraseList,
  weight: unit('a number'),
  needsContext: z.boolean({ error: 'expected true or false' }).default(false),
  supporting: z.boolean({ error: 'expected true or false' }).default(false),
  language: languageSchema.optional(),
  reason: z.string({ error: 'expected a reason (text)' }).trim().min(1, 'expected a reason').optional(),
});

const negativeSchema = z.strictObject({
  phrases: phraseList,
  factor: unit('a number').default(0),
  language: languageSchema.optional(),
});

const topicSchema = z.strictObject({
  id: z
    .string({ error: 'expected an id (text)' })
    .regex(/^[a-z][a-z0-9-]*$/, 'expected lowercase letters, digits and hyphens, starting with a letter'),
  name: z.string({ error: 'expected a name (text)' }).trim().min(1, 'expected a non-empty name'),
  description: z.string({ error: 'expected a description (text)' }).trim().min(1, 'expected a description'),
  threshold: unit('a number').optional(),
  alertThreshold: unit('a number').optional(),
  signals: z
    .array(signalSchema, { error: 'expected a list of signals' })
    .min(1, 'expected at least one signal'),
  context: z
    .strictObject({
      sets: z.array(z.string({ error: 'expected a cue set name' })).default([]),
      phrases: z.array(phrase, { error: 'expected a list of phrases' }).default([]),
    })
    .default({ sets: [], phrases: [] }),
  negatives: z.array(negativeSchema, { error: 'expected a list of negatives' }).default([]),
  masks: z.array(phrase, { error: 'expected a list of phrases' }).default([]),
});

const packSchema = z.strictObject({
  version: z.literal(1, { error: 'expected 1' }),
  scoring: z
    .strictObject({
      titleBoost: z
        .number({ error: 'expected a number' })
        .min(1, 'expected a number of at least 1')
        .default(1.3),
      withoutContext: unit('a number').default(0.3),
      supportingAlone: unit('a number').default(0.5),
    })
    .default({ titleBoost: 1.3, withoutContext: 0.3, supportingAlone: 0.5 }),
  defaults: z
    .strictObject({
      threshold: unit('a number').default(0.5),
      alertThreshold: unit('a number').default(0.8),
    })
    .default({ threshold: 0.5, alertThreshold: 0.8 }),
  cueSets: z
    .record(z.string(), z.array(phrase, { error: 'expected a list of phrases' }), {
      error: 'expected a map of named phrase lists',
    })
    .default({}),
  topics: z.array(z.unknown(), { error: 'expected a list of topics' }).min(1, 'expected at least one topic'),
});

function wildcardProblem(text: string): string | undefined {
  const words = text.split(/[^\p{L}\p{N}*]+/u).filter(Boolean);
  for (const [index, word] of words.entries()) {
    if (!word.includes('*')) continue;
    const core = word.replace(/^\*|\*$/g, '');
    if (core.includes('*') || (word.startsWith('*') && word.endsWith('*'))) {
      return `"${text}": a wildcard goes only at the start or the end of a word`;
    }
    // The first word is what the phrase index looks up, so a wildcard there needs enough letters to key on.
    if (index === 0 && core.length < 4)
      return `"${text}": a wildcard on the first word needs at least 4 letters`;
  }
  return undefined;
}

function fieldPath(pathParts: readonly PropertyKey[]): string {
  let out = '';
  for (const part of pathParts) {
    out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  }
  return out;
}

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'invalid value' };
  // Zod reports the deepest failing path; an unknown key is named by the key itself.
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = fieldPath([...issue.path, ...keys.slice(0, 1)]);
  const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  return { field, message };
}

/**
 * Validates a parsed topic pack document (the YAML file's content as plain data); `fileLabel` names
 * the file in error messages.
 */
export function validateTopicPack(raw: unknown, fileLabel: string): TopicPack {
  const pack = packSchema.safeParse(raw);
  if (!pack.success) {
    const { field, message } = firstIssue(pack.error);
    throw new TopicPackError(
      `${fileLabel}: ${field || 'top level'}: ${message}`,
      fileLabel,
      undefined,
      field,
    );
  }
  const { defaults, cueSets, scoring } = pack.data;
  const seen = new Set<string>();
  const topics = pack.data.topics.map((rawTopic, index): TopicDefinition => {
    const rawId = (rawTopic as { id?: unknown } | null)?.id;
    const label = typeof rawId === 'string' ? `topic "${rawId}"` : `topics[${index}]`;
    const fail = (field: string, message: string, id?: string): never => {
      throw new TopicPackError(`${fileLabel}: ${label}: ${field}: ${message}`, fileLabel, id, field);
    };
    const parsed = topicSchema.safeParse(rawTopic);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(field || 'topic', message, typeof rawId === 'string' ? rawId : undefined);
    }
    const topic = parsed.data;
    if (seen.has(topic.id)) fail('id', 'another topic already uses this id', topic.id);
    seen.add(topic.id);
    const context = [...topic.context.phrases];
    topic.context.sets.forEach((setName, setIndex) => {
      const cues = cueSets[setName];
      if (!cues) fail(`context.sets[${setIndex}]`, `unknown cue set "${setName}"`, topic.id);
      else context.push(...cues);
    });
    const threshold = topic.threshold ?? defaults.threshold;
    const alertThreshold = topic.alertThreshold ?? Math.max(defaults.alertThreshold, threshold);
    if (alertThreshold < threshold) {
      fail('alertThreshold', `expected at least the threshold (${threshold})`, topic.id);
    }
    return {
      id: topic.id,
      name: topic.name,
      description: topic.description,
      threshold,
      alertThreshold,
      signals: topic.signals,
      context,
      negatives: topic.negatives,
      masks: topic.masks,
    };
  });
  return { topics, scoring, source: fileLabel };
}
