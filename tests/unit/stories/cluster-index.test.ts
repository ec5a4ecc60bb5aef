import { describe, expect, it } from 'vitest';
import { ClusterIndex, findCluster } from '#lib/stories/cluster.ts';

// A small deterministic generator, so the comparison with findCluster covers many shapes without flakiness.
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
const WORDS =
  'encryption police surveillance court ruling ministers warn spyware messages apps law backdoor phones ' +
  'vote europe data privacy agency report leak hackers watchdog rules scanning chat platform ban';
const vocabulary = WORDS.split(' ');

function randomTitle(random: () => number): string {
  const length = 2 + Math.floor(random() * 7);
  return Array.from({ length }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
}

describe('ClusterIndex', () => {
  it('finds the same cluster as comparing every pair, on 2,000 random titles', () => {
    const random = generator(42);
    const index = new ClusterIndex();
    const candidates: Array<{ clusterId: string; title: string }> = [];
    for (let n = 0; n < 2_000; n += 1) {
      const item = { id: `story-${n}`, title: randomTitle(random) };

      const expected = findCluster(item, candidates);
      const actual = index.find(item);

      expect(actual, item.title).toBe(expected);
      candidates.push({ clusterId: expected, title: item.title });
      index.add(expected, item.title);
    }
  });

  it('compares a new title only with titles sharing a significant word, not with every candidate', () => {
    const index = new ClusterIndex();
    const count = 5_000;
    // Unrelated titles: each has its own words, as most of a day's stories do.
    for (let n = 0; n < count; n += 1) index.add(`c${n}`, `alpha${n} bravo${n} charlie${n} delta${n}`);

    for (let n = 0; n < count; n += 1)
      index.find({ id: `new${n}`, title: `alpha${n} bravo${n} echo${n} foxtrot${n}` });

    // Comparing all pairs would take count × count = 25,000,000 comparisons; the index makes one per title.
    expect(index.comparisons).toBe(count);
  });

  it('joins a syndicated copy with a lightly edited title', () => {
    const index = new ClusterIndex();
    index.add('wire', 'EU lawmakers back rules to scan private messages for abuse');

    expect(
      index.find({
        id: 'copy',
        title: 'EU lawmakers back rules to scan private messages for child abuse - Reuters',
      }),
    ).toBe('wire');
    expect(index.find({ id: 'other', title: 'Police chiefs warn about encrypted phones' })).toBe('other');
  });
});
