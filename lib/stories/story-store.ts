import type { Story, StorySource } from './story.ts';

/** A topic index item: enough to find, rank and cluster a story without reading it. */
export interface TopicIndexEntry {
  storyId: string;
  topic: string;
  score: number;
  title: string;
  clusterId: string;
  firstSeenAt: string;
}

/** What saving a feed's stories did. */
export interface SaveResult {
  /** Stories written for the first time. */
  created: Story[];
  /**
   * Stories stored by an earlier save that stopped before their topic index was written (a crash, a
   * timeout, a failed write), now indexed: as new to readers as `created`.
   */
  repaired: Story[];
  /** Stories already stored that this feed now also carries. */
  sourcesAdded: number;
  /** Stories already stored with this feed among their sources. */
  unchanged: number;
  /** Stories too large to store, left out so the rest of the feed is stored. */
  skipped: number;
}

/** Stored stories and their topic index, as the domain uses them (`lib/store/` implements it). */
export interface StoryStore {
  /** Saves one feed's stories: new ones created, known ones (by URL or GUID) credited to this feed. */
  save(stories: readonly Story[], source: StorySource['feedId']): Promise<SaveResult>;
  getMany(ids: readonly string[]): Promise<Story[]>;
  /** Which of these story ids are already stored. */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  /** Index entries of one topic first seen in [start, end). */
  topicWindow(topic: string, start: Date, end: Date): Promise<TopicIndexEntry[]>;
}
