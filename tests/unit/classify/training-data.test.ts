import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../helpers/shared.ts';

const labelledDir = fileURLToPath(new URL('../../fixtures/labelled/', import.meta.url));

interface Item {
  id: string;
  title: string;
  summary: string;
}

const readItems = (file: string): Item[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Item);

/** The distinct words of four letters or more: enough to tell a rewrite from a different story. */
const wordsOf = (item: Item): Set<string> =>
  new Set(
    `${item.title} ${item.summary}`
      .toLowerCase()
      .normalize('NFKC')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length >= 4),
  );

/** Share of words two stories have in common (Jaccard); different stories on one event stay well below 0.5. */
const NEAR_COPY = 0.5;

interface Reference {
  name: string;
  id: string;
  title: string;
  words: Set<string>;
}

/** Items of the project's training files that copy, or closely rewrite, one of `references`. */
function nearCopiesOf(references: readonly Reference[], trainingFiles: readonly string[]): string[] {
  const byWord = new Map<string, number[]>();
  references.forEach((entry, index) => {
    for (const word of entry.words) byWord.set(word, [...(byWord.get(word) ?? []), index]);
  });
  const found: string[] = [];
  for (const file of trainingFiles) {
    for (const item of readItems(path.join(labelledDir, file))) {
      const words = wordsOf(item);
      const overlap = new Map<number, number>();
      for (const word of words)
        for (const index of byWord.get(word) ?? []) overlap.set(index, (overlap.get(index) ?? 0) + 1);
      for (const [index, common] of overlap) {
        const other = references[index] as Reference;
        const sameTitle = other.title === item.title.trim().toLowerCase();
        if (sameTitle || common / (words.size + other.words.size - common) >= NEAR_COPY)
          found.push(`${file} ${item.id} ≈ ${other.name} ${other.id}`);
      }
    }
  }
  return found;
}

const referencesFrom = (name: string, file: string): Reference[] =>
  readItems(file).map((item) => ({
    name,
    id: item.id,
    title: item.title.trim().toLowerCase(),
    words: wordsOf(item),
  }));

/** The project's measurement-only sets, which `npm run train` never reads. */
const heldOut = ['blind.jsonl', 'multilingual-blind.jsonl'];
const trainingFiles = readdirSync(labelledDir).filter(
  (name) => name.endsWith('.jsonl') && !heldOut.includes(name),
);

describe("the project's own held-out sets", () => {
  it('share no story with a training file, so their figures measure unseen news', () => {
    const references = heldOut.flatMap((name) => referencesFrom(name, path.join(labelledDir, name)));
    expect(nearCopiesOf(references, trainingFiles)).toEqual([]);
  });
});

describeWithShared('corpus/valid.jsonl', "the project's own labelled examples", () => {
  it('are none of them a copy or close rewrite of a shared corpus item (dev or valid)', () => {
    const references = ['dev.jsonl', 'valid.jsonl'].flatMap((name) =>
      referencesFrom(name, sharedPath(`corpus/${name}`)),
    );
    const allFiles = readdirSync(labelledDir).filter((name) => name.endsWith('.jsonl'));
    expect(nearCopiesOf(references, allFiles)).toEqual([]);
  });
});
