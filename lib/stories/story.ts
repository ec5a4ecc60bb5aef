import type { TopicMatch } from '#lib/classify/types.ts';

/** A feed that carried a story, and the link it gave for it. */
export interface StorySource {
  feedId: string;
  feedName: string;
  link: string;
}

/** One item from a feed after normalizing: clean text, canonical URL, stable id. No I/O has touched it. */
export interface NormalizedItem {
  /** Stable id: a hash of the canonical URL (or of the GUID when the item has no link). */
  id: string;
  canonicalUrl: string;
  /** The link as the publisher gave it, resolved against the feed's base URL. */
  link: string;
  guid?: string | undefined;
  title: string;
  /** Plain text, HTML removed, entities decoded, whitespace folded, at most ~600 characters. */
  summary: string;
  /** ISO 8601, UTC. */
  publishedAt: string;
  language?: string | undefined;
}

/** A stored story: a normalized item with its sources, topics and syndication cluster. */
export interface Story extends NormalizedItem {
  sources: StorySource[];
  topics: TopicMatch[];
  /** Shared by near-identical syndicated copies of the same wire story. */
  clusterId: string;
  /** ISO 8601, UTC: when Cipherwatch first saw the story. */
  firstSeenAt: string;
}
