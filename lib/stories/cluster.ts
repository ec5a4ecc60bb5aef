import type { NormalizedItem } from './story.ts';

const STOPWORDS = new Set(
  (
    'a an the and or but of to in on at for from by with as is are was were be been has have had it its this that ' +
    'after over into about says say said new how why what who will not no up out than der die das und ein eine ' +
    'le la les des et un une du el los las y en'
  ).split(' '),
);
// " - Reuters", " | BBC News", " — The Guardian": a short trailing segment naming the outlet.
const SOURCE_SUFFIX = /\s+[-|–—:]\s+[^-|–—:]{1,40}$/;
const MIN_SIMILARITY = 0.7;

/** The significant words of a title: lowercased, accents and punctuation gone, stopwords and outlet suffix dropped. */
export function titleFingerprint(title: string): string[] {
  let text = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const withoutSuffix = text.replace(SOURCE_SUFFIX, '');
  // Only drop the suffix when a real headline remains in front of it.
  if (withoutSuffix.split(/\s+/).length >= 4) text = withoutSuffix;
  const tokens = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(tokens.filter((token) => token.length > 1 && !STOPWORDS.has(token)))];
}

/** Jaccard similarity of two token lists, 0 to 1. */
export function titleSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const setB = new Set(b);
  let shared = 0;
  for (const token of a) if (setB.has(token)) shared += 1;
  return shared / (a.length + setB.size - shared);
}

/** Two-word titles ("Breaking news") match too easily; they must be identical. */
function neededSimilarity(a: readonly string[], b: readonly string[]): number {
  return Math.min(a.length, b.length) < 3 ? 1 : MIN_SIMILARITY;
}

/** Whether two title fingerprints belong to copies of the same story. */
export function isNearDuplicate(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 0 && titleSimilarity(a, b) >= neededSimilarity(a, b);
}

/**
 * The syndication cluster for an item: the cluster of the most similar candidate title when it is
 * near-identical (Jaccard ≥ 0.7 over fingerprints; identical fingerprints for titles of under three words),
 * else the item's own id, starting a new cluster.
 */
export function findCluster(
  item: { id: string; title: string },
  candidates: ReadonlyArray<{ clusterId: string; title: string }>,
): string {
  const fingerprint = titleFingerprint(item.title);
  if (fingerprint.length === 0) return item.id;
  let best: { clusterId: string; similarity: number } | undefined;
  for (const candidate of candidates) {
    const other = titleFingerprint(candidate.title);
    const similarity = titleSimilarity(fingerprint, other);
    if (similarity >= neededSimilarity(fingerprint, other) && similarity > (best?.similarity ?? 0))
      best = { clusterId: candidate.clusterId, similarity };
  }
  return best?.clusterId ?? item.id;
}

/** Drops repeats within one feed (same id, or same GUID), keeping the first occurrence. */
export function dedupeItems<T extends NormalizedItem>(items: readonly T[]): T[] {
  const seenIds = new Set<string>();
  const seenGuids = new Set<string>();
  const unique: T[] = [];
  for (const item of items) {
    if (seenIds.has(item.id) || (item.guid !== undefined && seenGuids.has(item.guid))) continue;
    seenIds.add(item.id);
    if (item.guid !== undefined) seenGuids.add(item.guid);
    unique.push(item);
  }
  return unique;
}
