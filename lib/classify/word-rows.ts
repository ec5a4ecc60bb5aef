import { fnv, gramLength, isFunctionWord, kindSalt, minGrammedWord, mix } from './features.ts';
import type { FeatureTable } from './model.ts';
import type { Token } from './tokens.ts';

/** Receives each model row a story's text features reach, with the words it came from. */
export interface RowSink {
  row(row: number, inTitle: boolean, first: number, last: number): void;
}

/** What one word contributes wherever it appears: computed once, then reused for every story. */
interface WordEntry {
  hash: number;
  content: boolean;
  /** Rows of its word feature and character pieces that the model knows. */
  rows: readonly number[];
  /** Row of its lead feature (`t:`), or -1. */
  leadRow: number;
  /** How many features it emits besides lead and bigram features (known to the model or not). */
  count: number;
}

/** Distinct words remembered; the cache starts over beyond this (news reuses a small vocabulary). */
const maxCachedWords = 50_000;
const noRows: readonly number[] = [];

function hasDigit(word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/**
 * The hot path of the learned layer: the same features as `emitTextFeatures` (a test holds them equal),
 * but each word's hash, pieces and model rows are worked out once and remembered, so a story costs one
 * look-up per word plus one per bigram.
 */
export class WordRows {
  private readonly words = new Map<string, WordEntry>();

  constructor(private readonly table: FeatureTable) {}

  private entry(word: string): WordEntry {
    const cached = this.words.get(word);
    if (cached !== undefined) return cached;
    const hash = fnv(word);
    const content = !isFunctionWord(word);
    const rows: number[] = [];
    let count = 0;
    if (content) {
      count++;
      const row = this.table.get(mix(hash, kindSalt.w));
      if (row >= 0) rows.push(row);
    }
    if (word.length >= minGrammedWord) {
      for (let start = 0; start + gramLength <= word.length; start++) {
        count++;
        const row = this.table.get(mix(fnv(word, start, start + gramLength), kindSalt.c));
        if (row >= 0) rows.push(row);
      }
    }
    const leadRow = content ? this.table.get(mix(hash, kindSalt.t)) : -1;
    const entry = { hash, content, rows: rows.length > 0 ? rows : noRows, leadRow, count };
    // Numbers (dates, counts, ids) rarely repeat; remembering them would only churn the cache.
    if (hasDigit(word)) return entry;
    if (this.words.size >= maxCachedWords) this.words.clear();
    this.words.set(word, entry);
    return entry;
  }

  /** Reports every known row of one field's features to `sink`; returns how many features it has. */
  walk(tokens: readonly Token[], inTitle: boolean, leadEnd: number, sink: RowSink): number {
    let count = 0;
    let previous: WordEntry | undefined;
    let previousIndex = -1;
    for (let index = 0; index < tokens.length; index++) {
      const word = (tokens[index] as Token).folded;
      if (word.length < 2) {
        previous = undefined;
        continue;
      }
      const entry = this.entry(word);
      count += entry.count;
      for (let at = 0; at < entry.rows.length; at++)
        sink.row(entry.rows[at] as number, inTitle, index, index);
      if (entry.content && index < leadEnd) {
        count++;
        if (entry.leadRow >= 0) sink.row(entry.leadRow, inTitle, index, index);
      }
      if (previous !== undefined && (entry.content || previous.content)) {
        count++;
        const row = this.table.get(mix(previous.hash, entry.hash));
        if (row >= 0) sink.row(row, inTitle, previousIndex, index);
      }
      previous = entry;
      previousIndex = index;
    }
    return count;
  }
}
