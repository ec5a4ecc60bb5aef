import type { Story } from '#lib/stories/story.ts';
import type { DigestWindow } from '#lib/subscriptions/schedule.ts';
import type { Subscriber, SubscriberFilters } from '#lib/subscriptions/subscriber.ts';
import { searchableText, type TopicCandidate, topicCandidates } from './candidates.ts';
import type { Digest, DigestEntry, DigestSection } from './digest.ts';
import { explainMatch } from './why.ts';

export type { Digest, DigestEntry, DigestSection } from './digest.ts';

export const DEFAULT_MAX_PER_TOPIC = 8;

/** Inputs for one subscriber's digest; `storiesByTopic` is shared by every subscriber of a batch. */
export interface ComposeDigestInput {
  subscriber: Subscriber;
  window: DigestWindow;
  /** Stories per topic for the window, as read from the topic index (one query per topic and window). */
  storiesByTopic: ReadonlyMap<string, readonly Story[]>;
  /** Story ids (and cluster ids) already sent to this subscriber. */
  alreadySent: ReadonlySet<string>;
  topicNames: ReadonlyMap<string, string>;
  /** Entries shown per topic before "and N more". Default 8. */
  maxPerTopic?: number | undefined;
}

/**
 * Composes one subscriber's digest for a window, or undefined when there is nothing to send.
 *
 * Takes the stories first seen in the window on the subscriber's topics, drops those already sent
 * and those the subscriber's filters reject, places each story once (in its best-scoring topic of
 * theirs), folds copies of the same wire story into one entry, ranks by score with a recency boost
 * and caps each topic with "and N more". Pure; the per-topic work is shared across subscribers.
 */
export function composeDigest(input: ComposeDigestInput): Digest | undefined {
  const startMs = Date.parse(input.window.start);
  const endMs = Date.parse(input.window.end);
  const digest = composeFromCandidates({
    subscriber: input.subscriber,
    windowKey: input.window.key,
    candidatesFor: (topicId) => {
      const stories = input.storiesByTopic.get(topicId);
      return stories ? topicCandidates(topicId, stories, { startMs, endMs, rankAtMs: endMs }) : undefined;
    },
    alreadySent: input.alreadySent,
    topicNames: input.topicNames,
    maxPerTopic: input.maxPerTopic ?? DEFAULT_MAX_PER_TOPIC,
  });
  return digest && { ...digest, window: { start: input.window.start, end: input.window.end } };
}

/** The part of composition shared by scheduled digests and instant alerts. */
export interface CandidateComposition {
  subscriber: Subscriber;
  windowKey: string;
  candidatesFor: (topicId: string) => readonly TopicCandidate[] | undefined;
  alreadySent: ReadonlySet<string>;
  topicNames: ReadonlyMap<string, string>;
  maxPerTopic: number;
}

interface KeywordFilter {
  minScore: number;
  include: string[];
  exclude: string[];
}

function keywordFilter(filters: SubscriberFilters | undefined): KeywordFilter {
  const clean = (words: string[] | undefined): string[] =>
    (words ?? []).map((word) => word.trim().toLowerCase()).filter((word) => word.length > 0);
  return {
    minScore: filters?.minScore ?? 0,
    include: clean(filters?.includeKeywords),
    exclude: clean(filters?.excludeKeywords),
  };
}

function passesKeywords(story: Story, filter: KeywordFilter): boolean {
  if (filter.include.length === 0 && filter.exclude.length === 0) return true;
  const text = searchableText(story);
  if (filter.include.length > 0 && !filter.include.some((word) => text.includes(word))) return false;
  return !filter.exclude.some((word) => text.includes(word));
}

/** Composes a digest from ranked per-topic candidates (see composeDigest for the rules). */
export function composeFromCandidates(composition: CandidateComposition): Digest | undefined {
  const { subscriber, alreadySent } = composition;
  const filter = keywordFilter(subscriber.filters);
  const topics = [...new Set(subscriber.topics)];

  // Each story goes to the subscriber topic where it scores best (earlier topic on a tie).
  const placed = new Map<string, TopicCandidate>();
  const rejected = new Set<string>();
  for (const topicId of topics) {
    for (const candidate of composition.candidatesFor(topicId) ?? []) {
      const story = candidate.story;
      if (candidate.score < filter.minScore || rejected.has(story.id)) continue;
      const current = placed.get(story.id);
      if (current && current.score >= candidate.score) continue;
      if (!current) {
        if (alreadySent.has(story.id) || alreadySent.has(story.clusterId) || !passesKeywords(story, filter)) {
          rejected.add(story.id);
          continue;
        }
      }
      placed.set(story.id, candidate);
    }
  }
  if (placed.size === 0) return undefined;

  // Copies of one wire story share a cluster: the best-ranked copy leads, the rest fold into it.
  const clusters = new Map<string, TopicCandidate[]>();
  for (const candidate of placed.values()) {
    const members = clusters.get(candidate.foldKey);
    if (members) members.push(candidate);
    else clusters.set(candidate.foldKey, [candidate]);
  }
  const leaders = new Set<TopicCandidate>();
  const groupSizeByTopic = new Map<string, number>();
  for (const members of clusters.values()) {
    let leader = members[0] as TopicCandidate;
    for (const member of members) {
      if (
        member.rank > leader.rank ||
        (member.rank === leader.rank && member.publishedMs > leader.publishedMs)
      ) {
        leader = member;
      }
    }
    leaders.add(leader);
    groupSizeByTopic.set(leader.topicId, (groupSizeByTopic.get(leader.topicId) ?? 0) + 1);
  }

  const sections: DigestSection[] = [];
  const storyIds: string[] = [];
  const clusterIds: string[] = [];
  let totalStories = 0;
  for (const topicId of topics) {
    const groups = groupSizeByTopic.get(topicId) ?? 0;
    if (groups === 0) continue;
    const topicName = composition.topicNames.get(topicId) ?? topicId;
    const entries: DigestEntry[] = [];
    // Candidate lists are already sorted best first, so the first leaders met are the top entries;
    // the rest stand behind "and N more" (a link to the archive) and are recorded with them.
    for (const candidate of composition.candidatesFor(topicId) ?? []) {
      if (!leaders.has(candidate)) continue;
      const members = clusters.get(candidate.foldKey) ?? [candidate];
      if (entries.length < composition.maxPerTopic) entries.push(entryFor(candidate, members, topicName));
      for (const member of members) {
        storyIds.push(member.story.id);
        clusterIds.push(member.story.clusterId);
      }
    }
    sections.push({ topicId, topicName, entries, moreCount: groups - entries.length });
    totalStories += groups;
  }

  return {
    subscriberId: subscriber.id,
    windowKey: composition.windowKey,
    sections,
    storyIds,
    clusterIds,
    totalStories,
  };
}

function entryFor(
  leader: TopicCandidate,
  members: readonly TopicCandidate[],
  topicName: string,
): DigestEntry {
  if (leader.why === undefined) {
    const match = leader.story.topics.find((topic) => topic.id === leader.topicId);
    leader.why = match ? explainMatch(match, topicName) : `Classified under ${topicName}.`;
  }
  const primary = leader.story.sources[0]?.feedName;
  const others = new Set<string>();
  for (const member of [leader, ...members]) {
    for (const source of member.story.sources) {
      if (source.feedName && source.feedName !== primary) others.add(source.feedName);
    }
  }
  return { story: leader.story, score: leader.score, why: leader.why, alsoReportedBy: [...others] };
}
