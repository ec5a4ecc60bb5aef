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

/**
 * Candidate titles indexed by their tokens, so finding a story's cluster looks only at titles that share a
 * significant word with it instead of at every candidate. Each title is indexed under the prefix of its sorted
 * fingerprint that any title similar enough must share (prefix filtering: two sets with Jaccard similarity ≥ t
 * share a token within the first |A| − ⌈t·|A|⌉ + 1 tokens of each, in any fixed order). The result equals
 * `findCluster` over the same candidates.
 */
export class ClusterIndex {
  private readonly entries: Array<{ clusterId: string; fingerprint: string[] }> = [];
  private readonly byToken = new Map<string, number[]>();
  /** How many title pairs `find` has compared so far (what the index exists to keep small). */
  comparisons = 0;

  add(clusterId: string, title: string): void {
    const fingerprint = titleFingerprint(title);
    if (fingerprint.length === 0) return;
    const position = this.entries.push({ clusterId, fingerprint }) - 1;
    for (const token of prefixOf(fingerprint)) {
      const list = this.byToken.get(token);
      if (list === undefined) this.byToken.set(token, [position]);
      else list.push(position);
    }
  }

  /** The cluster of the most similar indexed title when near-identical, else the item's own id. */
  find(item: { id: string; title: string }): string {
    const fingerprint = titleFingerprint(item.title);
    if (fingerprint.length === 0) return item.id;
    const seen = new Set<number>();
    let best: { position: number; similarity: number } | undefined;
    for (const token of prefixOf(fingerprint)) {
      for (const position of this.byToken.get(token) ?? []) {
        if (seen.has(position)) continue;
        seen.add(position);
        this.comparisons += 1;
        const other = this.entries[position]?.fingerprint ?? [];
        const similarity = titleSimilarity(fingerprint, other);
        // Ties go to the earliest candidate, as in findCluster's scan in order.
        if (
          similarity >= neededSimilarity(fingerprint, other) &&
          (best === undefined ||
            similarity > best.similarity ||
            (similarity === best.similarity && position < best.position))
        ) {
          best = { position, similarity };
        }
      }
    }
    return best === undefined ? item.id : (this.entries[best.position]?.clusterId ?? item.id);
  }
}

/** The tokens (in sorted order) that any title with similarity ≥ MIN_SIMILARITY must share with this one. */
function prefixOf(fingerprint: readonly string[]): string[] {
  const sorted = [...fingerprint].sort();
  // The small epsilon keeps 0.7 × 10 from rounding up to 8 in binary floating point.
  const length = sorted.length - Math.ceil(MIN_SIMILARITY * sorted.length - 1e-9) + 1;
  return sorted.slice(0, length);
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
