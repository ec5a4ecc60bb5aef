import type { Classifier } from '#lib/classify/classifier.ts';
import type { Feed } from '#lib/feeds/feed.ts';
import { afterFailure, afterSuccess, type PollPolicy, pollPolicyFor } from '#lib/feeds/feed-state.ts';
import type { FeedStore } from '#lib/feeds/feed-store.ts';
import { FeedError, FeedGoneError, RateLimitedError } from '#lib/reader/errors.ts';
import { type FetchFeedOptions, type FetchResult, fetchFeed } from '#lib/reader/fetch.ts';
import { DEFAULT_MAX_ITEMS_PER_FEED, processFeed } from '#lib/stories/process.ts';
import type { Story } from '#lib/stories/story.ts';
import type { SaveResult, StoryStore } from '#lib/stories/story-store.ts';
import { RecentClusters } from './recent-clusters.ts';

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
  /** Items kept from one poll of a feed, newest first (default 500). */
  maxItemsPerFeed?: number;
  /**
   * Cluster candidates kept between the polls of this process (the composition root holds one); without
   * it, each poll reads its topics' two-day windows whole.
   */
  recentClusters?: RecentClusters;
}

export type PollOutcome =
  | { status: 'skipped'; feedId: string; reason: string }
  | { status: 'not-modified'; feed: Feed }
  | {
      status: 'updated';
      feed: Feed;
      items: number;
      created: Story[];
      sourcesAdded: number;
      /** Items left out because they could not be stored (too large for a DynamoDB item). */
      skipped: number;
    }
  | { status: 'failed'; feed: Feed; error: FeedError };

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
  // Names the step in the reason `feeds list` shows when something other than the feed itself fails.
  let step = 'Fetching the feed';
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
    step = 'Reading the feed';
    const processed = await processFeed(
      fetched.body,
      { id: feed.id, url: fetched.finalUrl, name: feed.name, language: feed.language },
      (text) => deps.classifier.classify(text),
      now,
      { maxItems: deps.maxItemsPerFeed ?? DEFAULT_MAX_ITEMS_PER_FEED },
    );
    items = processed.items.length;
    step = 'Finding earlier copies of its stories';
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
      deps.recentClusters ?? new RecentClusters(),
    );
  } catch (error) {
    if (!(error instanceof FeedError)) {
      await recordUnexpectedFailure(feed, error, step, deps, now, policy);
      throw error;
    }
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

  let saved: SaveResult;
  try {
    saved = await deps.stories.save(stories, feed.id);
  } catch (error) {
    await recordUnexpectedFailure(feed, error, "Storing the feed's stories", deps, now, policy);
    throw error;
  }
  await deps.feeds.recordPoll(feed.id, afterSuccess(feed, fetched, now, policy));
  // A story whose first save was interrupted before its index was written reaches readers only now.
  const created = [...saved.created, ...saved.repaired];
  return {
    status: 'updated',
    feed,
    items,
    created,
    sourcesAdded: saved.sourcesAdded,
    skipped: saved.skipped,
  };
}

/**
 * Marks the feed failing, with the reason, when its poll ends in an error that is not the feed's own (the
 * store refused a write, a bug): `feeds list` then shows it instead of "ok". The error is still thrown, so the
 * queue retries the job. When even this record cannot be written (the store is down), the original error wins.
 */
async function recordUnexpectedFailure(
  feed: Feed,
  error: unknown,
  step: string,
  deps: PollDependencies,
  now: Date,
  policy: PollPolicy,
): Promise<void> {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const change = afterFailure(
    feed,
    {
      error: {
        name: 'PollError',
        message: `${step} failed (${detail.replace(/\s+/g, ' ').slice(0, 300)}); the poll will be retried`,
        at: now.toISOString(),
      },
      permanent: false,
      gone: false,
    },
    now,
    policy,
  );
  await deps.feeds.recordPoll(feed.id, change).catch(() => undefined);
}

/**
 * Gives each relevant story the cluster of an earlier near-identical story (a syndicated copy with a
 * lightly edited title), looking at the relevant stories of the last two days on the topics this process
 * has polled (`RecentClusters`) and those earlier in this batch.
 */
async function assignClusters(
  stories: Story[],
  repository: StoryStore,
  now: Date,
  recent: RecentClusters,
): Promise<Story[]> {
  const relevant = stories.filter((story) => story.topics.length > 0);
  if (relevant.length === 0) return stories;
  // Stories stored by an earlier poll keep the cluster they were given then: a re-poll with nothing new
  // compares nothing.
  const stored = await repository.existingIds(relevant.map((story) => story.id));
  const fresh = relevant.filter((story) => !stored.has(story.id));
  if (fresh.length === 0) return stories;
  const topics = [...new Set(fresh.flatMap((story) => story.topics.map((topic) => topic.id)))];
  const candidates = await recent.refresh(topics, repository, now);
  const clusters = new Map<string, string>();
  for (const story of fresh) {
    const clusterId = candidates.find({ id: story.id, title: story.title });
    recent.add(story.id, clusterId, story.title, now);
    clusters.set(story.id, clusterId);
  }
  return stories.map((story) => {
    const clusterId = clusters.get(story.id);
    return clusterId === undefined ? story : { ...story, clusterId };
  });
}
