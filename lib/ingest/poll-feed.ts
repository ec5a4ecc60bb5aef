import type { Classifier } from '#lib/classify/classifier.ts';
import type { Feed } from '#lib/feeds/feed.ts';
import { afterFailure, afterSuccess, type PollPolicy, pollPolicyFor } from '#lib/feeds/feed-state.ts';
import type { FeedStore } from '#lib/feeds/feed-store.ts';
import { FeedError, FeedGoneError, RateLimitedError } from '#lib/reader/errors.ts';
import { type FetchFeedOptions, type FetchResult, fetchFeed } from '#lib/reader/fetch.ts';
import { findCluster } from '#lib/stories/cluster.ts';
import { processFeed } from '#lib/stories/process.ts';
import type { Story } from '#lib/stories/story.ts';
import type { StoryStore } from '#lib/stories/story-store.ts';

export interface PollDependencies {
  feeds: FeedStore;
  stories: StoryStore;
  classifier: Classifier;
  allowPrivateNetworks: boolean;
  /** Required so the configured interval (CIPHERWATCH_POLL_INTERVAL_MINUTES) schedules every next poll. */
  pollIntervalMinutes: number;
  /** Backoff and disabling rules; the defaults around `pollIntervalMinutes` unless given (tests). */
  policy?: PollPolicy;
  now?: () => Date;
  /** The network fetch; tests may inject a resolver through `fetchOptions`. */
  fetch?: (url: string, options: FetchFeedOptions) => Promise<FetchResult>;
  fetchOptions?: Partial<FetchFeedOptions>;
}

export type PollOutcome =
  | { status: 'skipped'; feedId: string; reason: string }
  | { status: 'not-modified'; feed: Feed }
  | { status: 'updated'; feed: Feed; items: number; created: Story[]; sourcesAdded: number }
  | { status: 'failed'; feed: Feed; error: FeedError };

/** How far back a new story looks for an earlier copy of the same wire story. */
const CLUSTER_LOOKBACK_MS = 48 * 3_600_000;

/**
 * One feed's refresh, top to bottom: fetch (conditional GET) → parse → normalize → dedup → classify →
 * store → update the feed's state. A feed's own failure is recorded on the feed (with backoff) and
 * returned, not thrown: only infrastructure errors (DynamoDB unreachable) throw, so the queue retries them.
 */
export async function pollFeed(feedId: string, deps: PollDependencies): Promise<PollOutcome> {
  const now = deps.now?.() ?? new Date();
  const policy = deps.policy ?? pollPolicyFor(deps.pollIntervalMinutes);
  const feed = await deps.feeds.get(feedId);
  if (!feed) return { status: 'skipped', feedId, reason: 'the feed was removed' };
  if (!feed.enabled)
    return { status: 'skipped', feedId, reason: feed.disabledReason ?? 'the feed is disabled' };

  let fetched: FetchResult;
  let stories: Story[];
  let items: number;
  try {
    fetched = await (deps.fetch ?? fetchFeed)(feed.url, {
      ...deps.fetchOptions,
      etag: feed.etag,
      lastModified: feed.lastModified,
      allowPrivateNetworks: deps.allowPrivateNetworks,
    });
    if (fetched.status === 'not-modified') {
      await deps.feeds.recordPoll(feed.id, afterSuccess(feed, fetched, now, policy));
      return { status: 'not-modified', feed };
    }
    const processed = await processFeed(
      fetched.body,
      { id: feed.id, url: fetched.finalUrl, name: feed.name, language: feed.language },
      (text) => deps.classifier.classify(text),
      now,
    );
    items = processed.items.length;
    stories = await assignClusters(
      processed.items.map((item) => {
        const { classification, ...normalized } = item;
        return {
          ...normalized,
          sources: [{ feedId: feed.id, feedName: feed.name, link: normalized.link }],
          topics: classification.topics,
          clusterId: normalized.id,
          firstSeenAt: now.toISOString(),
        };
      }),
      deps.stories,
      now,
    );
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    const change = afterFailure(
      feed,
      {
        error: { name: error.name, message: error.message, at: now.toISOString() },
        permanent: error.permanent,
        gone: error instanceof FeedGoneError,
        retryAfterSeconds: error instanceof RateLimitedError ? error.retryAfterSeconds : undefined,
      },
      now,
      policy,
    );
    await deps.feeds.recordPoll(feed.id, change);
    return { status: 'failed', feed: { ...feed, ...change }, error };
  }

  const saved = await deps.stories.save(stories, feed.id);
  await deps.feeds.recordPoll(feed.id, afterSuccess(feed, fetched, now, policy));
  // A story whose first save was interrupted before its index was written reaches readers only now.
  const created = [...saved.created, ...saved.repaired];
  return { status: 'updated', feed, items, created, sourcesAdded: saved.sourcesAdded };
}

/**
 * Gives each relevant story the cluster of an earlier near-identical story on the same topics (a
 * syndicated copy with a lightly edited title), looking at stories stored in the last two days and
 * those earlier in this batch.
 */
async function assignClusters(stories: Story[], repository: StoryStore, now: Date): Promise<Story[]> {
  const topics = [...new Set(stories.flatMap((story) => story.topics.map((topic) => topic.id)))];
  if (topics.length === 0) return stories;
  const since = new Date(now.getTime() - CLUSTER_LOOKBACK_MS);
  const until = new Date(now.getTime() + 1);
  const candidates = (await Promise.all(topics.map((topic) => repository.topicWindow(topic, since, until))))
    .flat()
    .map((entry) => ({ clusterId: entry.clusterId, title: entry.title }));
  return stories.map((story) => {
    if (story.topics.length === 0) return story;
    const clusterId = findCluster({ id: story.id, title: story.title }, candidates);
    candidates.push({ clusterId, title: story.title });
    return { ...story, clusterId };
  });
}
