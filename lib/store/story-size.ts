// DynamoDB refuses an item over 400 KB; a story that large would fail its whole feed's save.
import type { Story } from '#lib/stories/story.ts';

/**
 * The largest story stored, in bytes of its JSON form (which over-counts DynamoDB's own measure). Well under
 * the 400 KB item limit: other feeds later append themselves to a story's sources.
 */
export const MAX_STORY_BYTES = 300 * 1024;

/** Splits stories into those that fit in a DynamoDB item and those that never could. */
export function partitionBySize<T extends Story>(stories: readonly T[]): { fitting: T[]; tooLarge: T[] } {
  const fitting: T[] = [];
  const tooLarge: T[] = [];
  for (const story of stories) {
    (Buffer.byteLength(JSON.stringify(story), 'utf8') <= MAX_STORY_BYTES ? fitting : tooLarge).push(story);
  }
  return { fitting, tooLarge };
}
