import type { PackLanguage } from './language.ts';
import type { Token } from './tokens.ts';

// The topic pack's findings in one story, shared by the rules and the learned layer that reads them.

export type Role = 'signal' | 'context' | 'negative' | 'mask';

export interface Target {
  topic: number;
  role: Role;
  /** Signal: the weight; negative: the factor. */
  value: number;
  needsContext: boolean;
  supporting: boolean;
  /** Identifies one phrase of the pack, so a phrase repeated in the text counts once. */
  phraseKey: number;
  /** Index in `packLanguages` of the only language the phrase counts in; -1 for every language. */
  language: number;
}

export interface Hit {
  target: Target;
  inTitle: boolean;
  first: number;
  last: number;
}

export interface Span {
  inTitle: boolean;
  first: number;
  last: number;
}

export interface TopicState {
  hits: Map<number, Hit>;
  masks: Span[];
  hasContext: boolean;
  negativeFactor: number;
}

/** What the topic pack found in one story: the scores and the hits behind them, per topic in pack order. */
export interface RuleScan {
  title: string;
  summary: string;
  titleTokens: Token[];
  summaryTokens: Token[];
  language: PackLanguage | undefined;
  scores: number[];
  /** True when a signal of the topic sits in the title. */
  titleHits: boolean[];
  /** True when a negative of the topic matched. */
  vetoed: boolean[];
  states: readonly (TopicState | undefined)[];
}

/** Token spans already shown as evidence, so the learned layer does not repeat them. */
export interface EvidenceSpan {
  inTitle: boolean;
  first: number;
  last: number;
}
