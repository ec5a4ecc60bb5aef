/** A word of the text: its folded form (lowercase, no accents) and where it sits in the original. */
export interface Token {
  folded: string;
  start: number;
  end: number;
}

// Words never hold control characters, so printable ASCII is the whole fast path.
const nonAscii = /[^ -~]/;
const combiningMarks = /\p{M}+/gu;
const letterOrDigit = /[\p{L}\p{N}\p{M}]/u;

/** Lowercases a word and strips accents, so "Überwachung" and "uberwachung" compare equal. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  if (!nonAscii.test(lower)) return lower;
  return lower.normalize('NFD').replace(combiningMarks, '').replace(/ß/g, 'ss');
}

function isWordChar(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 0x80) {
    // ASCII fast path: digits, upper and lower case letters.
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  if (code >= 0xd800 && code <= 0xdbff) return letterOrDigit.test(text.slice(index, index + 2));
  if (code >= 0xdc00 && code <= 0xdfff) return letterOrDigit.test(text.slice(index - 1, index + 1));
  return letterOrDigit.test(text[index] as string);
}

const isAsciiLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * Joins the letters of a dotted abbreviation into one word: "F.B.I." reads as "fbi", "U.K." as "uk", as
 * most outlets write them, so the pack's phrases and the model's words need no second spelling. Only
 * single letters each followed directly by a dot join; initials ("J. K. Rowling") keep their spaces.
 */
function joinDottedLetters(text: string, tokens: Token[]): Token[] {
  const joined: Token[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const first = tokens[index] as Token;
    let last = index;
    const dottedLetter =
      first.end - first.start === 1 && isAsciiLetter(text.charCodeAt(first.start)) && text[first.end] === '.';
    if (dottedLetter) {
      while (
        last + 1 < tokens.length &&
        (tokens[last + 1] as Token).start === (tokens[last] as Token).end + 1
      ) {
        const next = tokens[last + 1] as Token;
        if (next.end - next.start !== 1 || !isAsciiLetter(text.charCodeAt(next.start))) break;
        last++;
      }
    }
    if (last === index) {
      joined.push(first);
      continue;
    }
    let folded = '';
    for (let at = index; at <= last; at++) folded += (tokens[at] as Token).folded;
    joined.push({ folded, start: first.start, end: (tokens[last] as Token).end });
    index = last;
  }
  return joined;
}

/** Splits text into words (letters and digits), keeping their positions for evidence. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  let ascii = true;
  let dotted = false;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 0;
    const inWord =
      code < 0x80
        ? (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
        : isWordChar(text, index);
    if (inWord) {
      if (start < 0) {
        start = index;
        ascii = true;
      }
      if (code >= 0x80) ascii = false;
    } else if (start >= 0) {
      // An ASCII word only needs lowercasing; the accent fold is for words holding other characters.
      const word = text.slice(start, index);
      tokens.push({ folded: ascii ? word.toLowerCase() : foldWord(word), start, end: index });
      if (index - start === 1 && code === 46) dotted = true;
      start = -1;
    }
  }
  return dotted ? joinDottedLetters(text, tokens) : tokens;
}
