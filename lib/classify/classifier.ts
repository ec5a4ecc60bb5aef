import { toPlainText } from '#lib/plain-text.ts';
import { sentenceAround } from './evidence-sentence.ts';
import { guessLanguage, packLanguageOf, packLanguages } from './language.ts';
import { createLearnedLayer, type LearnedLayer, type LearnedScores } from './learned-layer.ts';
import { PhraseIndex, type PhraseMatchSink } from './phrase-index.ts';
import type { EvidenceSpan, Hit, RuleScan, Span, Target, TopicState } from './rule-scan.ts';
import { type Token, tokenize } from './tokens.ts';
import type { TopicPack } from './topic-pack.ts';
import type { ClassifiableText, Classification, Evidence, TopicMatch } from './types.ts';

/** Scores stories against a topic pack. Built once per pack; `classify` is pure. */
export interface Classifier {
  /** Topics at or above their threshold, highest score first. */
  classify(text: ClassifiableText): Classification;
  /** Every topic of the pack, in pack order, including those below threshold (for evaluation). */
  scoreAll(text: ClassifiableText): TopicMatch[];
  /** The topic pack's findings alone, before the learned layer (what the trainer feeds the model). */
  scanRules(text: ClassifiableText): RuleScan;
  readonly pack: TopicPack;
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
        language: -1,
      });
    }
    for (const group of topic.signals) {
      const language = group.language ? packLanguages.indexOf(group.language) : -1;
      for (const phrase of group.phrases) {
        const target = {
          topic: topicIndex,
          role: 'signal' as const,
          value: group.weight,
          needsContext: group.needsContext,
          supporting: group.supporting,
          language,
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
        language: -1,
      });
    }
    for (const group of topic.negatives) {
      const language = group.language ? packLanguages.indexOf(group.language) : -1;
      for (const phrase of group.phrases) {
        const target = {
          topic: topicIndex,
          role: 'negative' as const,
          value: group.factor,
          needsContext: false,
          supporting: false,
          language,
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
  const learned: LearnedLayer | undefined = pack.model ? createLearnedLayer(pack, pack.model) : undefined;

  function effectiveWeight(hit: Hit, hasContext: boolean, hasMainSignal: boolean): number {
    let base = hit.target.value;
    if (hit.target.needsContext && !hasContext) base *= withoutContext;
    if (hit.target.supporting && !hasMainSignal) base *= supportingAlone;
    return Math.min(maxPhraseWeight, hit.inTitle ? base * titleBoost : base);
  }

  function weighHits(state: TopicState) {
    let hasMainSignal = false;
    for (const hit of state.hits.values()) if (!hit.target.supporting) hasMainSignal = true;
    return Array.from(state.hits.values(), (hit) => ({
      hit,
      weight: effectiveWeight(hit, state.hasContext, hasMainSignal),
    }));
  }

  function scan(text: ClassifiableText): RuleScan {
    const title = toPlainText(text.title);
    const summary = toPlainText(text.summary);
    const titleTokens = tokenize(title);
    const summaryTokens = tokenize(summary);
    const language = packLanguageOf(text.language) ?? guessLanguage(titleTokens, summaryTokens);
    const sheet = new ScoreSheet(pack.topics.length, language ? packLanguages.indexOf(language) : -1);
    index.scan(titleTokens, sheet);
    sheet.inTitle = false;
    index.scan(summaryTokens, sheet);
    const states = sheet.states;
    const scores: number[] = [];
    const titleHits: boolean[] = [];
    const vetoed: boolean[] = [];
    for (const state of states) {
      if (state === undefined || state.hits.size === 0) {
        scores.push(0);
        titleHits.push(false);
        vetoed.push(state !== undefined && state.negativeFactor < 1);
        continue;
      }
      let miss = 1;
      let inTitle = false;
      for (const { hit, weight } of weighHits(state)) {
        miss *= 1 - weight;
        inTitle ||= hit.inTitle;
      }
      scores.push(Math.round((1 - miss) * state.negativeFactor * 1000) / 1000);
      titleHits.push(inTitle);
      vetoed.push(state.negativeFactor < 1);
    }
    return { title, summary, titleTokens, summaryTokens, language, scores, titleHits, vetoed, states };
  }

  /** Scores every topic; evidence is gathered only for topics `wantEvidence` accepts, as it costs the most. */
  function score(text: ClassifiableText, wantEvidence: (match: TopicMatch, topicIndex: number) => boolean) {
    const found = scan(text);
    const model: LearnedScores | undefined = learned?.score(found);
    return pack.topics.map((topic, topicIndex): TopicMatch => {
      const topicScore = model
        ? (model.topicScores[topicIndex] as number)
        : (found.scores[topicIndex] as number);
      const match: TopicMatch = { id: topic.id, score: topicScore, evidence: [] };
      if (!wantEvidence(match, topicIndex)) return match;
      const state = found.states[topicIndex];
      const weighted = state ? weighHits(state).sort((a, b) => b.weight - a.weight) : [];
      const ruleEvidence = pickEvidence(weighted, found);
      const learnedEvidence = learned && model ? learned.explain(found, topicIndex, ruleEvidence.spans) : [];
      return { ...match, evidence: [...ruleEvidence.evidence, ...learnedEvidence] };
    });
  }

  const atThreshold = (match: TopicMatch, topicIndex: number) =>
    match.score >= (pack.topics[topicIndex]?.threshold ?? Number.POSITIVE_INFINITY);

  return {
    pack,
    scoreAll: (text) => score(text, () => true),
    scanRules: scan,
    classify(text) {
      const topics = score(text, atThreshold)
        .filter(atThreshold)
        .sort((a, b) => b.score - a.score);
      return { relevant: topics.length > 0, topics };
    },
  };
}

/** What one story's scan found, per topic; a topic's state exists only once a phrase of it was found. */
class ScoreSheet implements PhraseMatchSink<Target> {
  readonly states: (TopicState | undefined)[];
  inTitle = true;

  constructor(
    topicCount: number,
    private readonly language: number,
  ) {
    this.states = new Array<TopicState | undefined>(topicCount).fill(undefined);
  }

  match(target: Target, first: number, last: number): void {
    // A phrase scoped to one language is a word of that language only ("reconnaissance" in English).
    if (target.language >= 0 && this.language >= 0 && target.language !== this.language) return;
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
  found: RuleScan,
): { evidence: Evidence[]; spans: EvidenceSpan[] } {
  const { title, titleTokens, summary, summaryTokens } = found;
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
  return { evidence, spans: shown.map(({ inTitle, first, last }) => ({ inTitle, first, last })) };
}
