import { describe, expect, it } from 'vitest';
import { dedupeItems, findCluster, isNearDuplicate, titleFingerprint } from '#lib/stories/cluster.ts';
import type { NormalizedItem } from '#lib/stories/story.ts';

describe('titleFingerprint', () => {
  it.each([
    [
      'drops stopwords and punctuation',
      'The EU backs a law on encryption!',
      ['eu', 'backs', 'law', 'encryption'],
    ],
    [
      'drops a " - Reuters" suffix',
      'EU backs new encryption law for messaging apps - Reuters',
      ['eu', 'backs', 'encryption', 'law', 'messaging', 'apps'],
    ],
    [
      'drops a " | BBC News" suffix',
      'EU backs new encryption law for messaging apps | BBC News',
      ['eu', 'backs', 'encryption', 'law', 'messaging', 'apps'],
    ],
    ['keeps a dash that is part of a short headline', 'Spyware - explained', ['spyware', 'explained']],
    ['folds accents and case', 'Überwachung: Gesetz BESCHLOSSEN', ['uberwachung', 'gesetz', 'beschlossen']],
    ['removes repeated words', 'Spyware spyware everywhere', ['spyware', 'everywhere']],
  ])('%s', (_behaviour, title, expected) => {
    expect(titleFingerprint(title)).toEqual(expected);
  });
});

describe('findCluster', () => {
  const wire = {
    clusterId: 'cluster-wire',
    title: 'EU lawmakers back rules to scan private messages for abuse',
  };

  it('joins a lightly edited syndicated copy to the existing cluster', () => {
    const copy = {
      id: 'copy',
      title: 'EU lawmakers back rules to scan private messages for child abuse - Reuters',
    };

    expect(findCluster(copy, [wire])).toBe('cluster-wire');
  });

  it('starts a new cluster for a different story on the same subject', () => {
    const other = { id: 'other', title: 'Messaging apps threaten to leave the EU over scanning rules' };

    expect(findCluster(other, [wire])).toBe('other');
  });

  it('picks the most similar of several candidates', () => {
    const candidates = [{ clusterId: 'loose', title: 'EU lawmakers back rules on private messages' }, wire];

    expect(
      findCluster(
        { id: 'x', title: 'EU lawmakers back rules to scan private messages for abuse' },
        candidates,
      ),
    ).toBe('cluster-wire');
  });

  it('requires identical fingerprints for very short titles', () => {
    expect(
      findCluster({ id: 'short', title: 'Breaking news' }, [
        { clusterId: 'c', title: 'Breaking: world news' },
      ]),
    ).toBe('short');
  });

  it('starts a new cluster when there are no candidates', () => {
    expect(findCluster({ id: 'alone', title: 'Anything at all here' }, [])).toBe('alone');
  });
});

describe('isNearDuplicate', () => {
  it('accepts fingerprints that overlap by at least 0.7', () => {
    expect(
      isNearDuplicate(['eu', 'backs', 'scanning', 'law'], ['eu', 'backs', 'scanning', 'law', 'reuters']),
    ).toBe(true);
  });

  it('rejects fingerprints that share only the subject', () => {
    expect(
      isNearDuplicate(['eu', 'backs', 'scanning', 'law'], ['apps', 'quit', 'eu', 'over', 'scanning']),
    ).toBe(false);
  });

  it('rejects an empty fingerprint', () => {
    expect(isNearDuplicate([], [])).toBe(false);
  });
});

describe('dedupeItems', () => {
  const item = (id: string, guid?: string): NormalizedItem => ({
    id,
    canonicalUrl: `https://example.com/${id}`,
    link: `https://example.com/${id}`,
    guid,
    title: id,
    summary: '',
    publishedAt: '2024-05-01T00:00:00.000Z',
  });

  it('keeps the first of items with the same id', () => {
    const first = item('a');

    expect(dedupeItems([first, item('a'), item('b')])).toEqual([first, item('b')]);
  });

  it('drops an item whose GUID was already seen', () => {
    expect(dedupeItems([item('a', 'g1'), item('b', 'g1'), item('c', 'g2')]).map((i) => i.id)).toEqual([
      'a',
      'c',
    ]);
  });
});
