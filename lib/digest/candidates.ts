import { isNearDuplicate, titleFingerprint } from '#lib/stories/cluster.ts';
import type { Story } from '#lib/stories/story.ts';

/** A story as a candidate for one topic section, with what ranking and filtering need precomputed. */
export interface TopicCandidate {
  story: Story;
  topicId: string;
  score: number;
  rank: number;
  publishedMs: number;
  /**
   * The group this story folds into: its cluster, or an earlier candidate's when the titles are
   * near-identical (copies polled at the same moment by different workers can miss each other's
   * cluster at ingest; composition catches them).
   */
  foldKey: string;
  /** Filled on first use: the "why" line for this story in this topic. */
  why?: string;
}

/** How to select and rank one topic's stories; every subscriber sharing these options shares the result. */
export interface CandidateOptions {
  /** Stories first seen at or after this instant (ms) only. */
  startMs?: number | undefined;
  /** Stories first seen before this instant (ms) only. */
  endMs?: number | undefined;
  /** Stories scoring at least this in the topic only. */
  minTopicScore?: number | undefined;
  /** The instant recency is measured from. */
  rankAtMs: number;
}

const HOUR_MS = 3_600_000;
/** A story published at `rankAt` gains this much over an old one of the same score. */
const RECENCY_WEIGHT = 0.2;
const RECENCY_HALF_LIFE_HOURS = 12;

const cache = new WeakMap<readonly Story[], Map<string, TopicCandidate[]>>();
const haystacks = new WeakMap<Story, string>();
const fingerprints = new WeakMap<Story, string[]>();

/** Score plus a recency boost that halves every 12 hours, so fresh news edges out equally strong old news. */
export function rankScore(score: number, publishedMs: number, rankAtMs: number): number {
  const ageHours = Number.isFinite(publishedMs) ? Math.max(0, (rankAtMs - publishedMs) / HOUR_MS) : 1e6;
  return score + RECENCY_WEIGHT * 0.5 ** (ageHours / RECENCY_HALF_LIFE_HOURS);
}

function compareCandidates(a: TopicCandidate, b: TopicCandidate): number {
  return b.rank - a.rank || b.publishedMs - a.publishedMs || (a.story.id < b.story.id ? -1 : 1);
}

/**
 * One topic's stories selected and sorted best first. Memoized on the array and options, so a topic
 * window queried once serves every subscriber in the batch without repeating the work.
 */
export function topicCandidates(
  topicId: string,
  stories: readonly Story[],
  options: CandidateOptions,
): TopicCandidate[] {
  const key = `${topicId}\u0000${options.startMs ?? ''}\u0000${options.endMs ?? ''}\u0000${options.minTopicScore ?? ''}\u0000${options.rankAtMs}`;
  let byKey = cache.get(stories);
  const cached = byKey?.get(key);
  if (cached) return cached;

  const candidates: TopicCandidate[] = [];
  const seen = new Set<string>();
  for (const story of stories) {
    if (seen.has(story.id)) continue;
    const match = story.topics.find((topic) => topic.id === topicId);
    if (!match) continue;
    if (options.minTopicScore !== undefined && match.score < options.minTopicScore) continue;
    if (options.startMs !== undefined || options.endMs !== undefined) {
      const seenMs = Date.parse(story.firstSeenAt);
      if (options.startMs !== undefined && !(seenMs >= options.startMs)) continue;
      if (options.endMs !== undefined && !(seenMs < options.endMs)) continue;
    }
    seen.add(story.id);
    const publishedMs = Date.parse(story.publishedAt);
    candidates.push({
      story,
      topicId,
      score: match.score,
      rank: rankScore(match.score, publishedMs, options.rankAtMs),
      publishedMs,
      foldKey: story.clusterId,
    });
  }
  candidates.sort(compareCandidates);
  assignFoldKeys(candidates);

  if (!byKey) {
    byKey = new Map();
    cache.set(stories, byKey);
  }
  byKey.set(key, candidates);
  return candidates;
}

/** Groups candidates whose titles are near-identical under the best-ranked one's cluster. */
function assignFoldKeys(candidates: TopicCandidate[]): void {
  const groups: { key: string; fingerprint: string[] }[] = [];
  const byCluster = new Map<string, string>();
  for (const candidate of candidates) {
    const known = byCluster.get(candidate.story.clusterId);
    if (known) {
      candidate.foldKey = known;
      continue;
    }
    const fingerprint = fingerprintOf(candidate.story);
    const similar = groups.find((group) => isNearDuplicate(fingerprint, group.fingerprint));
    candidate.foldKey = similar?.key ?? candidate.story.clusterId;
    if (!similar) groups.push({ key: candidate.foldKey, fingerprint });
    byCluster.set(candidate.story.clusterId, candidate.foldKey);
  }
}

function fingerprintOf(story: Story): string[] {
  let fingerprint = fingerprints.get(story);
  if (!fingerprint) {
    fingerprint = titleFingerprint(story.title);
    fingerprints.set(story, fingerprint);
  }
  return fingerprint;
}

/** Lower-cased title and summary, computed once per story, for keyword filters. */
export function searchableText(story: Story): string {
  let text = haystacks.get(story);
  if (text === undefined) {
    text = `${story.title}\n${story.summary}`.toLowerCase();
    haystacks.set(story, text);
  }
  return text;
}
