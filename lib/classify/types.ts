/** A phrase that matched and the sentence it sits in: shown to readers as the "why" of a story. */
export interface Evidence {
  phrase: string;
  sentence: string;
  /** Set when a word the learned model weighs drove the score, rather than a phrase of the topic pack. */
  learned?: true;
}

/** One topic a story belongs to, with a score from 0 to 1 and the evidence behind it. */
export interface TopicMatch {
  id: string;
  score: number;
  evidence: Evidence[];
}

/** The classifier's verdict: only topics at or above their threshold, highest score first. */
export interface Classification {
  relevant: boolean;
  topics: TopicMatch[];
}

/** What the classifier reads from a story. */
export interface ClassifiableText {
  title: string;
  summary: string;
  language?: string | undefined;
}
