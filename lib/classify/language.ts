import type { Token } from './tokens.ts';

/** The languages the topic pack and the labelled sets cover. */
export const packLanguages = ['en', 'de', 'fr', 'es'] as const;
export type PackLanguage = (typeof packLanguages)[number];

// Short function words are the cheapest reliable tell of a language in a headline and a sentence or two.
// Words shared by two languages ("a", "de", "la", "en", "die" as an English verb) are left out on purpose.
const functionWords: Record<PackLanguage, readonly string[]> = {
  en: [
    'the',
    'and',
    'of',
    'to',
    'is',
    'for',
    'with',
    'that',
    'on',
    'are',
    'was',
    'from',
    'its',
    'has',
    'over',
  ],
  de: [
    'der',
    'und',
    'das',
    'ist',
    'nicht',
    'mit',
    'den',
    'sich',
    'auf',
    'fur',
    'dem',
    'ein',
    'eine',
    'zu',
    'auch',
  ],
  fr: [
    'le',
    'les',
    'des',
    'du',
    'et',
    'est',
    'une',
    'pour',
    'dans',
    'sur',
    'au',
    'aux',
    'qui',
    'avec',
    'ses',
  ],
  es: ['el', 'los', 'las', 'del', 'y', 'es', 'una', 'por', 'para', 'con', 'al', 'que', 'sus', 'tras', 'su'],
};

const languageOfWord = new Map<string, number>();
packLanguages.forEach((language, index) => {
  for (const word of functionWords[language]) languageOfWord.set(word, index);
});

/** Needed before a guess is trusted: one stray "the" in a German headline must not make it English. */
const minimumVotes = 2;

/**
 * The pack language a text is written in, from its function words; undefined when too few words tell.
 * A story's own `language` (from its feed) wins over this guess wherever the caller has one.
 */
export function guessLanguage(...fields: readonly (readonly Token[])[]): PackLanguage | undefined {
  const votes = [0, 0, 0, 0];
  for (const tokens of fields) {
    for (const token of tokens) {
      const index = languageOfWord.get(token.folded);
      if (index !== undefined) votes[index] = (votes[index] as number) + 1;
    }
  }
  let best = -1;
  let bestVotes = 0;
  let runnerUp = 0;
  votes.forEach((count, index) => {
    if (count > bestVotes) {
      runnerUp = bestVotes;
      bestVotes = count;
      best = index;
    } else if (count > runnerUp) runnerUp = count;
  });
  if (best < 0 || bestVotes < minimumVotes || bestVotes <= runnerUp) return undefined;
  return packLanguages[best];
}

/** The primary subtag of a BCP 47 tag ("de-AT" -> "de"), or undefined when it is not a pack language. */
export function packLanguageOf(tag: string | undefined): PackLanguage | undefined {
  if (!tag) return undefined;
  const primary = tag.toLowerCase().split(/[-_]/)[0];
  return (packLanguages as readonly string[]).includes(primary ?? '') ? (primary as PackLanguage) : undefined;
}
