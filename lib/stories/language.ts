// The most frequent short words of each language: enough to tell news prose apart, small enough to ship.
const STOPWORDS: Readonly<Record<string, string>> = {
  en: 'the of and to in is that for it on with as was by are this be from at has have not an or but its will',
  de: 'der die und das ist nicht mit den von zu ein eine sich auf für im dem des auch wird bei nach sind über',
  fr: 'le la les et des est dans une pour que qui sur pas par du au avec sont plus ce cette aux été ont',
  es: 'el la los las y del que en por para con una es se al lo como más pero sus fue ha sobre este',
  it: 'il di che la le per con del della una sono è non gli dei nel alla anche più come stato questo',
  nl: 'de het een en van dat is op te zijn met voor niet aan bij ook door worden wordt naar dan',
  pt: 'o os a as de do da dos das em que para com uma não por mais no na foi ao pelo pela são',
  sv: 'och att det som en på är av för med till den har inte om ett var men från',
  pl: 'i w na z że się nie do to jest o jak po przez dla od za być są ale',
};

const WORD_LISTS = Object.entries(STOPWORDS).map(
  ([language, words]) => [language, new Set(words.split(' '))] as const,
);

const SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u3040-\u30ff]/, 'ja'], // kana decides before Han, which Japanese shares with Chinese
  [/[\uac00-\ud7af]/, 'ko'],
  [/[\u4e00-\u9fff]/, 'zh'],
  [/[\u0600-\u06ff]/, 'ar'],
  [/[\u0590-\u05ff]/, 'he'],
  [/[\u0370-\u03ff]/, 'el'],
  [/[\u0e00-\u0e7f]/, 'th'],
];

/**
 * Guesses a text's language (ISO 639-1) from its script or its most common words; undefined when the text is
 * too short or too mixed to tell. A feed's declared language should win over this guess.
 */
export function detectLanguage(text: string): string | undefined {
  for (const [pattern, language] of SCRIPTS) if (pattern.test(text)) return language;
  if (/[\u0400-\u04ff]/.test(text)) return /[іїєґ]/i.test(text) ? 'uk' : 'ru';
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 6) return undefined;
  let best: string | undefined;
  let bestHits = 0;
  let secondHits = 0;
  for (const [language, list] of WORD_LISTS) {
    let hits = 0;
    for (const word of words) if (list.has(word)) hits += 1;
    if (hits > bestHits) {
      secondHits = bestHits;
      bestHits = hits;
      best = language;
    } else if (hits > secondHits) {
      secondHits = hits;
    }
  }
  // Demand a clear winner: shared words ("de", "la", "a") make close calls unreliable.
  return bestHits >= 3 && bestHits >= secondHits * 1.5 && bestHits / words.length >= 0.08 ? best : undefined;
}

/** Normalizes a declared language tag ("en-US", "EN_gb", " de ") to its primary subtag ("en", "de"). */
export function primaryLanguage(tag: string | undefined): string | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}
