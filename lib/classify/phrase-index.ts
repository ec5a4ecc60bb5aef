import { foldWord, type Token } from './tokens.ts';

interface WordTest {
  kind: 'exact' | 'prefix' | 'suffix';
  text: string;
}

interface Entry<T> {
  words: WordTest[];
  target: T;
}

/** Letters used to bucket wildcard words; topic-pack validation guarantees at least this many. */
const wildcardKeyLength = 4;
const phraseWordPattern = /\*?[\p{L}\p{N}]+\*?/gu;

function parseWord(raw: string): WordTest {
  const text = foldWord(raw.replace(/\*/g, ''));
  if (raw.endsWith('*')) return { kind: 'prefix', text };
  if (raw.startsWith('*')) return { kind: 'suffix', text };
  return { kind: 'exact', text };
}

function wordMatches(test: WordTest, word: string): boolean {
  if (test.kind === 'exact') return word === test.text;
  if (test.kind === 'prefix') return word.startsWith(test.text);
  return word.endsWith(test.text);
}

function push<T>(map: Map<string, Entry<T>[]>, key: string, entry: Entry<T>): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/**
 * Finds many phrases in tokenized text in one pass: each token costs a few hash look-ups however many
 * phrases there are, and overlapping phrases ("police" inside "police facial recognition") all match.
 */
export class PhraseIndex<T> {
  private readonly exact = new Map<string, Entry<T>[]>();
  private readonly prefix = new Map<string, Entry<T>[]>();
  private readonly suffix = new Map<string, Entry<T>[]>();

  /** Registers a phrase (words, with `word*` / `*word` wildcards) that reports `target` when found. */
  add(phrase: string, target: T): void {
    const words = Array.from(phrase.matchAll(phraseWordPattern), (match) => parseWord(match[0]));
    const first = words[0];
    if (!first) return;
    const entry = { words, target };
    if (first.kind === 'exact') push(this.exact, first.text, entry);
    else if (first.kind === 'prefix') push(this.prefix, first.text.slice(0, wildcardKeyLength), entry);
    else push(this.suffix, first.text.slice(-wildcardKeyLength), entry);
  }

  /** Calls `onMatch` with the target and the first and last token index of every phrase found. */
  scan(tokens: readonly Token[], onMatch: (target: T, first: number, last: number) => void): void {
    const hasPrefixes = this.prefix.size > 0;
    const hasSuffixes = this.suffix.size > 0;
    for (let index = 0; index < tokens.length; index++) {
      const word = (tokens[index] as Token).folded;
      this.tryEntries(this.exact.get(word), tokens, index, onMatch);
      if (word.length < wildcardKeyLength) continue;
      if (hasPrefixes)
        this.tryEntries(this.prefix.get(word.slice(0, wildcardKeyLength)), tokens, index, onMatch);
      if (hasSuffixes)
        this.tryEntries(this.suffix.get(word.slice(-wildcardKeyLength)), tokens, index, onMatch);
    }
  }

  private tryEntries(
    entries: Entry<T>[] | undefined,
    tokens: readonly Token[],
    start: number,
    onMatch: (target: T, first: number, last: number) => void,
  ): void {
    if (!entries) return;
    for (const entry of entries) {
      const last = start + entry.words.length - 1;
      if (last >= tokens.length) continue;
      let matched = true;
      for (let offset = 0; offset < entry.words.length; offset++) {
        if (!wordMatches(entry.words[offset] as WordTest, (tokens[start + offset] as Token).folded)) {
          matched = false;
          break;
        }
      }
      if (matched) onMatch(entry.target, start, last);
    }
  }
}
