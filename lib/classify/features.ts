import type { Token } from './tokens.ts';

/**
 * The learned layer's text features, produced from tokens with no string building on the hot path: each
 * feature is named by a short string ("w:surveillance", "b:back door", "c:uberw") and identified at run
 * time by the 32-bit FNV-1a hash of that name, computed piece by piece from the tokens it comes from.
 *
 * - `w:` every word (two or more characters);
 * - `t:` a word of the lead, the title and the summary's first sentence, where news says what it is about;
 * - `b:` two neighbouring words of the same field (bigrams: "back door", "facial recognition");
 * - `c:` five-letter pieces of long words, so a German compound ("Videoüberwachung") shares features
 *   with its parts ("Überwachung") and an inflected word with its stem.
 */

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/** Continues an FNV-1a hash over `text[from..to)`. */
export function fnvContinue(hash: number, text: string, from = 0, to = text.length): number {
  let state = hash;
  for (let index = from; index < to; index++) {
    state ^= text.charCodeAt(index);
    state = Math.imul(state, fnvPrime);
  }
  return state >>> 0;
}

/** The hash of a whole feature name; the same number the piecewise path yields. */
export const featureHash = (name: string): number => fnvContinue(fnvOffset, name);

const wordSeed = featureHash('w:');
const leadSeed = featureHash('t:');
const bigramSeed = featureHash('b:');
const gramSeed = featureHash('c:');
const space = ' ';

/** Letters in a character piece, and the shortest word cut into pieces. */
export const gramLength = 5;
export const minGrammedWord = 7;

export type FeatureKind = 'w' | 't' | 'b' | 'c';

// Function words say how a sentence is built, not what it is about; as features they only learn the
// house style of the feeds in the training set. They still take part in bigrams next to a content word.
const functionWords = new Set(
  (
    'the a an and or but of to in on at by for with from as into over after about than that this these those ' +
    'is are was were be been being has have had do does did it its he she they we you i his her their our ' +
    'not no so if then just also now new says said will would can could may might more most up out who what ' +
    'which when where how why all any some one two us your them him me my there here isn don done ' +
    'der die das den dem des ein eine einer einem einen und oder aber nicht mit von zu im in am an auf fur ' +
    'ist sind war wird werden hat haben sich auch als bei nach uber wie was wer noch nur so es er sie wir ' +
    'le la les un une des du de et ou mais pas avec pour par sur dans au aux est sont ete a ont se sa son ' +
    'ses ce cette qui que quoi il elle ils elles nous vous plus ne en ' +
    'el los las unos unas del y o pero no con para por sobre en al es son fue ha han se su sus este esta ' +
    'que quien lo le les mas ya muy'
  ).split(' '),
);

/** True for words that make no unigram feature on their own. */
export const isFunctionWord = (word: string): boolean => functionWords.has(word);

/** Receives each text feature: its hash, and (for explanations) which tokens of which field it came from. */
export interface FeatureSink {
  feature(hash: number, kind: FeatureKind, inTitle: boolean, first: number, last: number): void;
}

function emitField(tokens: readonly Token[], inTitle: boolean, leadEnd: number, sink: FeatureSink): void {
  let previous: Token | undefined;
  let previousIndex = -1;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    const word = token.folded;
    if (word.length < 2) {
      previous = undefined;
      continue;
    }
    const content = !functionWords.has(word);
    if (content) {
      sink.feature(fnvContinue(wordSeed, word), 'w', inTitle, index, index);
      if (index < leadEnd) sink.feature(fnvContinue(leadSeed, word), 't', inTitle, index, index);
    }
    if (previous !== undefined && (content || !functionWords.has(previous.folded))) {
      const head = fnvContinue(fnvContinue(bigramSeed, previous.folded), space);
      sink.feature(fnvContinue(head, word), 'b', inTitle, previousIndex, index);
    }
    if (word.length >= minGrammedWord) {
      for (let start = 0; start + gramLength <= word.length; start++)
        sink.feature(fnvContinue(gramSeed, word, start, start + gramLength), 'c', inTitle, index, index);
    }
    previous = token;
    previousIndex = index;
  }
}

/**
 * Emits every text feature of a story. `summaryLeadEnd` is the number of summary tokens in its first
 * sentence; the whole title is lead.
 */
export function emitTextFeatures(
  titleTokens: readonly Token[],
  summaryTokens: readonly Token[],
  summaryLeadEnd: number,
  sink: FeatureSink,
): void {
  emitField(titleTokens, true, titleTokens.length, sink);
  emitField(summaryTokens, false, summaryLeadEnd, sink);
}

const sentenceEnd = /[.!?]["'”’)]*\s/;

/** How many of the summary's tokens sit in its first sentence. */
export function leadTokenCount(summary: string, tokens: readonly Token[]): number {
  const found = sentenceEnd.exec(summary);
  if (!found) return tokens.length;
  let count = 0;
  while (count < tokens.length && (tokens[count] as Token).start < found.index) count++;
  return count;
}

/**
 * The names of every text feature of a story, in the order `emitTextFeatures` emits their hashes: what the
 * trainer counts and the model file stores (never on the hot path).
 */
export function textFeatureNames(
  titleTokens: readonly Token[],
  summaryTokens: readonly Token[],
  summaryLeadEnd: number,
): string[] {
  const names: string[] = [];
  const field = (tokens: readonly Token[], leadEnd: number) => {
    let previous: string | undefined;
    tokens.forEach((token, index) => {
      const word = token.folded;
      if (word.length < 2) {
        previous = undefined;
        return;
      }
      const content = !functionWords.has(word);
      if (content) {
        names.push(`w:${word}`);
        if (index < leadEnd) names.push(`t:${word}`);
      }
      if (previous !== undefined && (content || !functionWords.has(previous)))
        names.push(`b:${previous} ${word}`);
      if (word.length >= minGrammedWord)
        for (let start = 0; start + gramLength <= word.length; start++)
          names.push(`c:${word.slice(start, start + gramLength)}`);
      previous = word;
    });
  };
  field(titleTokens, titleTokens.length);
  field(summaryTokens, summaryLeadEnd);
  return names;
}

/** Names of the rule features: what the topic pack found, as numbers the model weighs. */
export const ruleFeatureNames = {
  score: (topicId: string) => `r:${topicId}`,
  inTitle: (topicId: string) => `r:${topicId}:title`,
  vetoed: (topicId: string) => `r:${topicId}:negative`,
} as const;
