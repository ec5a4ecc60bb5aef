import { newFeed } from './feed.ts';
import type { FeedCatalogEntry } from './feed-catalog.ts';
import type { FeedStore } from './feed-store.ts';

/** Adds the catalog's feeds that are not in the registry yet; returns how many were added. */
export async function seedFeeds(
  feeds: FeedStore,
  entries: readonly FeedCatalogEntry[],
  now: Date,
): Promise<number> {
  let added = 0;
  for (const entry of entries) {
    if (await feeds.add(newFeed(entry, now))) added++;
  }
  return added;
}
