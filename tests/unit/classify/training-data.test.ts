import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
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

describeWithShared('corpus/valid.jsonl', "the project's own labelled examples", () => {
  it('are none of them a copy or close rewrite of a shared corpus item (dev or valid)', () => {
    const shared = ['dev.jsonl', 'valid.jsonl'].flatMap((name) =>
      readItems(sharedPath(`corpus/${name}`)).map((item) => ({ name, id: item.id, words: wordsOf(item) })),
    );
    const byWord = new Map<string, number[]>();
    shared.forEach((entry, index) => {
      for (const word of entry.words) byWord.set(word, [...(byWord.get(word) ?? []), index]);
    });
    const nearCopies: string[] = [];
    for (const file of readdirSync(labelledDir).filter((name) => name.endsWith('.jsonl'))) {
      for (const item of readItems(path.join(labelledDir, file))) {
        const words = wordsOf(item);
        const overlap = new Map<number, number>();
        for (const word of words)
          for (const index of byWord.get(word) ?? []) overlap.set(index, (overlap.get(index) ?? 0) + 1);
        for (const [index, common] of overlap) {
          const other = shared[index] as (typeof shared)[number];
          if (common / (words.size + other.words.size - common) >= NEAR_COPY)
            nearCopies.push(`${file} ${item.id} ≈ ${other.name} ${other.id}`);
        }
      }
    }
    expect(nearCopies).toEqual([]);
  });
});
