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

/** FNV-1a over `text[from..to)`. */
export function fnv(text: string, from = 0, to = text.length): number {
  let state = fnvOffset;
  for (let index = from; index < to; index++) {
    state ^= text.charCodeAt(index);
    state = Math.imul(state, fnvPrime);
  }
  return state;
}

/** Mixes two 32-bit values into one well-spread 32-bit value (a murmur3-style finalizer over both). */
export function mix(a: number, b: number): number {
  let state = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  state ^= state >>> 13;
  state = Math.imul(state, 0xc2b2ae35);
  return (state ^ (state >>> 16)) | 0;
}

// One salt per kind of feature, so "w:police" and "t:police" are different features of one word hash.
export const kindSalt = { w: 0x77, t: 0x74, c: 0x63, r: 0x72 } as const;

/**
 * The id of a feature name; the same number the hot path computes from tokens without building the name:
 * a word's hash is computed once and salted per kind, a bigram mixes the hashes of its two words.
 */
export function featureHash(name: string): number {
  const kind = name[0];
  const body = name.slice(2);
  if (kind === 'b') {
    const space = body.indexOf(' ');
    return mix(fnv(body, 0, space), fnv(body, space + 1));
  }
  if (kind === 'w' || kind === 't' || kind === 'c' || kind === 'r') return mix(fnv(body), kindSalt[kind]);
  return mix(fnv(name), 0);
}

/**
 * Letters in a character piece, and the shortest word cut into pieces: compounds are long words, and
 * pieces of every short word would cost more time per story than they bring.
 */
export const gramLength = 5;
export const minGrammedWord = 9;

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
  let previousHash = 0;
  let previousIndex = -1;
  let previousIsContent = false;
  for (let index = 0; index < tokens.length; index++) {
    const word = (tokens[index] as Token).folded;
    if (word.length < 2) {
      previousIndex = -1;
      continue;
    }
    const wordHash = fnv(word);
    const content = !functionWords.has(word);
    if (content) {
      sink.feature(mix(wordHash, kindSalt.w), 'w', inTitle, index, index);
      if (index < leadEnd) sink.feature(mix(wordHash, kindSalt.t), 't', inTitle, index, index);
    }
    if (previousIndex >= 0 && (content || previousIsContent))
      sink.feature(mix(previousHash, wordHash), 'b', inTitle, previousIndex, index);
    if (word.length >= minGrammedWord) {
      for (let start = 0; start + gramLength <= word.length; start++)
        sink.feature(mix(fnv(word, start, start + gramLength), kindSalt.c), 'c', inTitle, index, index);
    }
    previousHash = wordHash;
    previousIndex = index;
    previousIsContent = content;
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
  context: (topicId: string) => `r:${topicId}:context`,
} as const;
