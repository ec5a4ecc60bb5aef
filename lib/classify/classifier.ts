import { cleanText } from '#lib/plain-text.ts';
import { sentenceAround } from './evidence-sentence.ts';
import { PhraseIndex, type PhraseMatchSink } from './phrase-index.ts';
import { type Token, tokenize } from './tokens.ts';
import type { TopicPack } from './topic-pack.ts';
import type { ClassifiableText, Classification, Evidence, TopicMatch } from './types.ts';

/** Scores stories against a topic pack. Built once per pack; `classify` is pure. */
export interface Classifier {
  /** Topics at or above their threshold, highest score first. */
  classify(text: ClassifiableText): Classification;
  /** Every topic of the pack, in pack order, including those below threshold (for evaluation). */
  scoreAll(text: ClassifiableText): TopicMatch[];
  readonly pack: TopicPack;
}

type Role = 'signal' | 'context' | 'negative' | 'mask';

interface Target {
  topic: number;
  role: Role;
  /** Signal: the weight; negative: the factor. */
  value: number;
  needsContext: boolean;
  supporting: boolean;
  /** Identifies one phrase of the pack, so a phrase repeated in the text counts once. */
  phraseKey: number;
}

interface Hit {
  target: Target;
  inTitle: boolean;
  first: number;
  last: number;
}

interface Span {
  inTitle: boolean;
  first: number;
  last: number;
}

interface TopicState {
  hits: Map<number, Hit>;
  masks: Span[];
  hasContext: boolean;
  negativeFactor: number;
}

/** Evidence entries kept per topic. */
const maxEvidence = 3;
/** No single phrase may make a topic certain: keeps room for negatives and other signals to matter. */
const maxPhraseWeight = 0.97;

function compile(pack: TopicPack): PhraseIndex<Target> {
  const index = new PhraseIndex<Target>();
  let phraseKey = 0;
  pack.topics.forEach((topic, topicIndex) => {
    // Masks go in first: at the same starting word the index tries them before signals, so a signal is
    // only ever checked against masks already seen.
    for (const phrase of topic.masks) {
      index.add(phrase, {
        topic: topicIndex,
        role: 'mask',
        value: 0,
        needsContext: false,
        supporting: false,
        phraseKey: -1,
      });
    }
    for (const group of topic.signals) {
      for (const phrase of group.phrases) {
        const target = {
          topic: topicIndex,
          role: 'signal' as const,
          value: group.weight,
          needsContext: group.needsContext,
          supporting: group.supporting,
        };
        index.add(phrase, { ...target, phraseKey: phraseKey++ });
      }
    }
    for (const phrase of topic.context) {
      index.add(phrase, {
        topic: topicIndex,
        role: 'context',
        value: 0,
        needsContext: false,
        supporting: false,
        phraseKey: -1,
      });
    }
    for (const group of topic.negatives) {
      for (const phrase of group.phrases) {
        const target = {
          topic: topicIndex,
          role: 'negative' as const,
          value: group.factor,
          needsContext: false,
          supporting: false,
        };
        index.add(phrase, { ...target, phraseKey: -1 });
      }
    }
  });
  return index;
}

/** Compiles a topic pack into a classifier: all phrases go into one index, built here and only here. */
export function createClassifier(pack: TopicPack): Classifier {
  const index = compile(pack);
  const { titleBoost, withoutContext, supportingAlone } = pack.scoring;

  function effectiveWeight(hit: Hit, hasContext: boolean, hasMainSignal: boolean): number {
    let base = hit.target.value;
    if (hit.target.needsContext && !hasContext) base *= withoutContext;
    if (hit.target.supporting && !hasMainSignal) base *= supportingAlone;
    return Math.min(maxPhraseWeight, hit.inTitle ? base * titleBoost : base);
  }

  /** Scores every topic; evidence is gathered only for topics `wantEvidence` accepts, as it costs the most. */
  function score(
    text: ClassifiableText,
    wantEvidence: (score: number, topicIndex: number) => boolean,
  ): TopicMatch[] {
    // Markup (image URLs, alt text) never counts as evidence; line breaks stay, as sentence ends.
    const title = cleanText(text.title, { keepLineBreaks: true });
    const summary = cleanText(text.summary, { keepLineBreaks: true });
    const sheet = new ScoreSheet(pack.topics.length);
    const titleTokens = tokenize(title);
    const summaryTokens = tokenize(summary);
    index.scan(titleTokens, sheet);
    sheet.inTitle = false;
    index.scan(summaryTokens, sheet);
    const states = sheet.states;

    return pack.topics.map((topic, topicIndex): TopicMatch => {
      const state = states[topicIndex];
      if (state === undefined || state.hits.size === 0) return { id: topic.id, score: 0, evidence: [] };
      let hasMainSignal = false;
      for (const hit of state.hits.values()) if (!hit.target.supporting) hasMainSignal = true;
      const weighted = Array.from(state.hits.values(), (hit) => ({
        hit,
        weight: effectiveWeight(hit, state.hasContext, hasMainSignal),
      }));
      let miss = 1;
      for (const { weight } of weighted) miss *= 1 - weight;
      const topicScore = Math.round((1 - miss) * state.negativeFactor * 1000) / 1000;
      if (!wantEvidence(topicScore, topicIndex)) return { id: topic.id, score: topicScore, evidence: [] };
      weighted.sort((a, b) => b.weight - a.weight);
      const evidence = pickEvidence(weighted, title, titleTokens, summary, summaryTokens);
      return { id: topic.id, score: topicScore, evidence };
    });
  }

  const atThreshold = (topicScore: number, topicIndex: number) =>
    topicScore >= (pack.topics[topicIndex]?.threshold ?? Number.POSITIVE_INFINITY);

  return {
    pack,
    scoreAll: (text) => score(text, () => true),
    classify(text) {
      const topics = score(text, atThreshold)
        .filter((match, topicIndex) => atThreshold(match.score, topicIndex))
        .sort((a, b) => b.score - a.score);
      return { relevant: topics.length > 0, topics };
    },
  };
}

/** What one story's scan found, per topic; a topic's state exists only once a phrase of it was found. */
class ScoreSheet implements PhraseMatchSink<Target> {
  readonly states: (TopicState | undefined)[];
  inTitle = true;

  constructor(topicCount: number) {
    this.states = new Array<TopicState | undefined>(topicCount).fill(undefined);
  }

  match(target: Target, first: number, last: number): void {
    let state = this.states[target.topic];
    if (state === undefined) {
      state = { hits: new Map(), masks: [], hasContext: false, negativeFactor: 1 };
      this.states[target.topic] = state;
    }
    const inTitle = this.inTitle;
    if (target.role === 'context') state.hasContext = true;
    else if (target.role === 'negative') state.negativeFactor = Math.min(state.negativeFactor, target.value);
    else if (target.role === 'mask') state.masks.push({ inTitle, first, last });
    else if (!state.hits.has(target.phraseKey) && !isMasked(state.masks, inTitle, first, last))
      state.hits.set(target.phraseKey, { target, inTitle, first, last });
  }
}

function isMasked(masks: readonly Span[], inTitle: boolean, first: number, last: number): boolean {
  for (const mask of masks)
    if (mask.inTitle === inTitle && mask.first <= first && last <= mask.last) return true;
  return false;
}

function pickEvidence(
  weighted: readonly { hit: Hit }[],
  title: string,
  titleTokens: readonly Token[],
  summary: string,
  summaryTokens: readonly Token[],
): Evidence[] {
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  const shown: Hit[] = [];
  for (const { hit } of weighted) {
    if (evidence.length === maxEvidence) break;
    // A phrase inside one already shown ("encrypted" in "access to encrypted") tells the reader nothing new.
    if (
      shown.some(
        (other) => other.inTitle === hit.inTitle && other.first <= hit.last && hit.first <= other.last,
      )
    ) {
      continue;
    }
    const [source, tokens] = hit.inTitle ? [title, titleTokens] : [summary, summaryTokens];
    const start = (tokens[hit.first] as Token).start;
    const end = (tokens[hit.last] as Token).end;
    const phrase = source.slice(start, end);
    if (seen.has(phrase.toLowerCase())) continue;
    seen.add(phrase.toLowerCase());
    shown.push(hit);
    evidence.push({ phrase, sentence: hit.inTitle ? title.trim() : sentenceAround(source, start, end) });
  }
  return evidence;
}
