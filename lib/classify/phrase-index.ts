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
/** Distinct words whose candidate phrases are remembered; the cache starts over beyond this. */
const maxCachedWords = 20_000;

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

/** Receives every phrase found by `PhraseIndex.scan`. */
export interface PhraseMatchSink<T> {
  match(target: T, first: number, last: number): void;
}

const noEntries: readonly Entry<never>[] = [];

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
  /**
   * The phrases that may start at a word, in the order exact, prefix, suffix. News reuses a small
   * vocabulary, so one look-up per word replaces three, and most words resolve to the shared empty list.
   */
  private readonly candidates = new Map<string, readonly Entry<T>[]>();

  /** Registers a phrase (words, with `word*` / `*word` wildcards) that reports `target` when found. */
  add(phrase: string, target: T): void {
    const words = Array.from(phrase.matchAll(phraseWordPattern), (match) => parseWord(match[0]));
    const first = words[0];
    if (!first) return;
    const entry = { words, target };
    this.candidates.clear();
    if (first.kind === 'exact') push(this.exact, first.text, entry);
    else if (first.kind === 'prefix') push(this.prefix, first.text.slice(0, wildcardKeyLength), entry);
    else push(this.suffix, first.text.slice(-wildcardKeyLength), entry);
  }

  /** Calls `sink.match` with the target and the first and last token index of every phrase found. */
  scan(tokens: readonly Token[], sink: PhraseMatchSink<T>): void {
    for (let index = 0; index < tokens.length; index++) {
      const entries = this.candidatesFor((tokens[index] as Token).folded);
      if (entries.length > 0) this.tryEntries(entries, tokens, index, sink);
    }
  }

  private candidatesFor(word: string): readonly Entry<T>[] {
    const cached = this.candidates.get(word);
    if (cached !== undefined) return cached;
    const found: Entry<T>[] = [];
    const exact = this.exact.get(word);
    if (exact) found.push(...exact);
    if (word.length >= wildcardKeyLength) {
      const prefix = this.prefix.get(word.slice(0, wildcardKeyLength));
      if (prefix) found.push(...prefix);
      const suffix = this.suffix.get(word.slice(-wildcardKeyLength));
      if (suffix) found.push(...suffix);
    }
    if (this.candidates.size >= maxCachedWords) this.candidates.clear();
    const entries = found.length === 0 ? noEntries : found;
    this.candidates.set(word, entries);
    return entries;
  }

  private tryEntries(
    entries: readonly Entry<T>[],
    tokens: readonly Token[],
    start: number,
    sink: PhraseMatchSink<T>,
  ): void {
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
      if (matched) sink.match(entry.target, start, last);
    }
  }
}
