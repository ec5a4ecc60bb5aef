import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '#lib/batches.ts';
import { isNews } from '#lib/stories/freshness.ts';
import { isGlobalGuid } from '#lib/stories/normalize.ts';
import type { Story, StorySource } from '#lib/stories/story.ts';
import type { SaveResult, StoryStore, TopicIndexEntry } from '#lib/stories/story-store.ts';
import { batchGet, batchWrite } from './batch.ts';
import { conditionally } from './conditional.ts';
import { queryAll, scanAll } from './paging.ts';
import { partitionBySize } from './story-size.ts';

const STORY_TTL_DAYS = 365;
const INDEX_TTL_DAYS = 90;
const DAY_MS = 86_400_000;

const storyKey = (id: string) => ({ pk: `STORY#${id}`, sk: 'STORY' });
const guidKey = (guid: string) => ({ pk: `GUID#${guid}`, sk: 'GUID' });
const topicPartition = (topic: string, day: string) => `TOPIC#${topic}#${day}`;
const epochSeconds = (from: string, days: number) => Math.floor((Date.parse(from) + days * DAY_MS) / 1000);

type IndexItem = TopicIndexEntry & { pk: string; sk: string; expiresAt?: number };
type StoryItem = Story & {
  pk: string;
  sk: string;
  sourceFeedIds: Set<string>;
  expiresAt: number;
  /** Set while the story's topic index items are not all written; cleared once they are. */
  indexPending?: true;
};

/**
 * Stories and their topic index. A story is written once, conditionally, and never overwritten; a
 * second feed carrying it only appends itself to the sources. "Stories on topic T between A and B" is
 * one query per topic and day through the index items.
 *
 * Story and index are one unit without transactions (dynalite has none): a story that needs index
 * items is created marked `indexPending`, the mark is cleared only after every item is written, and
 * any save that meets a marked story writes its index again (the items are idempotent puts). So a
 * save stopped at any step is completed by the next poll of the feed, or the redelivered job.
 */
export class StoryRepository implements StoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Saves one feed's stories: new ones created, known ones (by URL or GUID) credited to this feed. */
  async save(all: readonly Story[], source: StorySource['feedId']): Promise<SaveResult> {
    const { fitting: stories, tooLarge } = partitionBySize(all);
    const result: SaveResult = {
      created: [],
      repaired: [],
      sourcesAdded: 0,
      unchanged: 0,
      skipped: tooLarge.length,
    };
    if (stories.length === 0) return result;

    const aliases = await this.resolveGuidAliases(stories);
    const found = await batchGet<{ pk: string; sourceFeedIds?: Set<string>; indexPending?: true }>(
      this.client,
      this.table,
      [...new Set(stories.map((story) => aliases.get(story.id) ?? story.id))].map(storyKey),
      'pk, sourceFeedIds, indexPending',
    );
    const existing = new Map(
      found.map((item) => [item.pk.slice('STORY#'.length), item.sourceFeedIds ?? new Set<string>()]),
    );
    const unindexed = found.filter((item) => item.indexPending).map((item) => item.pk.slice('STORY#'.length));

    await mapWithConcurrency(stories, 8, async (story) => {
      const storedId = aliases.get(story.id) ?? story.id;
      const storySource = story.sources.find((s) => s.feedId === source) ?? story.sources[0];
      const known = existing.get(storedId);
      if (known) {
        if (known.has(source) || !storySource) result.unchanged++;
        else if (await this.addSource(storedId, storySource)) result.sourcesAdded++;
        else result.unchanged++;
        return;
      }
      if (await this.create(story)) {
        result.created.push(story);
      } else if (storySource && (await this.addSource(storedId, storySource))) {
        // Another poll stored it between our read and our write.
        result.sourcesAdded++;
      } else {
        result.unchanged++;
      }
    });

    result.repaired = unindexed.length > 0 ? await this.getMany(unindexed) : [];
    const toIndex = [...result.created, ...result.repaired].filter(needsIndex);
    await this.writeIndex(toIndex);
    await mapWithConcurrency(toIndex, 8, (story) => this.markIndexed(story.id));
    return result;
  }

  /** Full stories by id (missing ids are skipped). */
  /** Stories first seen since a time, for `cipherwatch stories list`: a scan, never on a delivery path. */
  listFirstSeenSince(since: Date): Promise<Story[]> {
    return this.scanStories('firstSeenAt >= :value', since.toISOString());
  }

  /** Stories whose id starts with a prefix, for `cipherwatch stories show` given a short id. */
  findByIdPrefix(prefix: string): Promise<Story[]> {
    return this.scanStories('begins_with(id, :value)', prefix);
  }

  private async scanStories(condition: string, value: string): Promise<Story[]> {
    const items = await scanAll<StoryItem>(this.client, this.table, {
      FilterExpression: `sk = :story AND ${condition}`,
      ExpressionAttributeValues: { ':story': 'STORY', ':value': value },
    });
    return items.map(toStory);
  }

  async getMany(ids: readonly string[]): Promise<Story[]> {
    const items = await batchGet<StoryItem>(this.client, this.table, [...new Set(ids)].map(storyKey));
    return items.map(toStory);
  }

  /** Which of these story ids are already stored (one key-only read per 100 ids). */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await batchGet<{ pk: string }>(
      this.client,
      this.table,
      [...new Set(ids)].map(storyKey),
      'pk',
    );
    return new Set(found.map((item) => item.pk.slice('STORY#'.length)));
  }

  async get(id: string): Promise<Story | undefined> {
    return (await this.getMany([id]))[0];
  }

  /**
   * A page of a topic's index, newest first, first seen in [since, until). `before` continues after
   * the last entry of the previous page (its `cursor`); `cursor` is set when more may follow.
   */
  async topicPage(
    topic: string,
    range: { since: Date; until: Date; limit: number; before?: string | undefined },
  ): Promise<{ entries: TopicIndexEntry[]; cursor: string | undefined }> {
    const upper = range.before ?? `${new Date(range.until.getTime() - 1).toISOString()}~`;
    const lastDay = new Date(Math.min(range.until.getTime() - 1, Date.parse(upper.slice(0, 24))));
    const days = daysBetween(range.since, new Date(lastDay.getTime() + 1)).reverse();
    const entries: IndexItem[] = [];
    // A week of days at a time: few round trips for busy topics, no long serial walk for quiet ones.
    for (let i = 0; i < days.length && entries.length <= range.limit; i += 7) {
      const week = await Promise.all(
        days.slice(i, i + 7).map((day) =>
          queryAll<IndexItem>(
            this.client,
            {
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': topicPartition(topic, day),
                ':from': range.since.toISOString(),
                ':to': upper,
              },
              ScanIndexForward: false,
            },
            range.limit + 2,
          ),
        ),
      );
      for (const items of week) entries.push(...items.filter((item) => item.sk !== range.before));
    }
    const page = entries.slice(0, range.limit);
    const last = page.at(-1);
    return {
      entries: page.map(({ sk: _sk, pk: _pk, expiresAt: _e, ...entry }) => entry),
      cursor: entries.length > range.limit && last ? last.sk : undefined,
    };
  }

  /** Index entries for a topic first seen in [start, end): one query per UTC day the window touches. */
  async topicWindow(topic: string, start: Date, end: Date): Promise<TopicIndexEntry[]> {
    const days = await Promise.all(
      daysBetween(start, end).map((day) =>
        queryAll<TopicIndexEntry>(this.client, {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': topicPartition(topic, day),
            ':from': start.toISOString(),
            // '~' sorts after every id character, so the last millisecond before `end` is included whole.
            ':to': `${new Date(end.getTime() - 1).toISOString()}~`,
          },
        }),
      ),
    );
    return days.flat();
  }

  private async create(story: Story): Promise<boolean> {
    const item: StoryItem = {
      ...story,
      ...storyKey(story.id),
      sourceFeedIds: new Set(story.sources.map((source) => source.feedId)),
      expiresAt: epochSeconds(story.firstSeenAt, STORY_TTL_DAYS),
      ...(needsIndex(story) ? { indexPending: true as const } : {}),
    };
    const created = await conditionally(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created && story.guid && isGlobalGuid(story.guid)) {
      // The first story stored under a GUID keeps it; a later copy at another URL is credited to it.
      await conditionally(
        this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...guidKey(story.guid), storyId: story.id, expiresAt: item.expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    }
    return created;
  }

  private async markIndexed(storyId: string): Promise<void> {
    await conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: storyKey(storyId),
          UpdateExpression: 'REMOVE indexPending',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  private addSource(storyId: string, source: StorySource): Promise<boolean> {
    return conditionally(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: storyKey(storyId),
          UpdateExpression: 'SET sources = list_append(sources, :source) ADD sourceFeedIds :feedIds',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(sourceFeedIds, :feedId)',
          ExpressionAttributeValues: {
            ':source': [source],
            ':feedIds': new Set([source.feedId]),
            ':feedId': source.feedId,
          },
        }),
      ),
    );
  }

  /** Maps a new story's id to the id already stored under the same GUID (a copy at another URL). */
  private async resolveGuidAliases(stories: readonly Story[]): Promise<Map<string, string>> {
    const withGuid = stories.filter((story) => story.guid && isGlobalGuid(story.guid));
    if (withGuid.length === 0) return new Map();
    const found = await batchGet<{ pk: string; storyId: string }>(
      this.client,
      this.table,
      [...new Set(withGuid.map((story) => story.guid as string))].map(guidKey),
    );
    const byGuid = new Map(found.map((item) => [item.pk.slice('GUID#'.length), item.storyId]));
    const aliases = new Map<string, string>();
    for (const story of withGuid) {
      const stored = byGuid.get(story.guid as string);
      if (stored && stored !== story.id) aliases.set(story.id, stored);
    }
    return aliases;
  }

  private async writeIndex(stories: readonly Story[]): Promise<void> {
    const requests = stories.flatMap((story) =>
      story.topics.map((topic) => ({
        PutRequest: {
          Item: {
            pk: topicPartition(topic.id, story.firstSeenAt.slice(0, 10)),
            sk: `${story.firstSeenAt}#${story.id}`,
            storyId: story.id,
            topic: topic.id,
            score: topic.score,
            title: story.title,
            clusterId: story.clusterId,
            firstSeenAt: story.firstSeenAt,
            expiresAt: epochSeconds(story.firstSeenAt, INDEX_TTL_DAYS),
          },
        },
      })),
    );
    await batchWrite(this.client, this.table, requests);
  }
}

/** A story gets topic index items when it has topics and is news (a new feed's backlog is not). */
function needsIndex(story: Story): boolean {
  return story.topics.length > 0 && isNews(story);
}

function toStory(item: StoryItem): Story {
  const { pk: _pk, sk: _sk, sourceFeedIds: _ids, expiresAt: _ttl, indexPending: _pending, ...story } = item;
  return story;
}

/** The UTC days (YYYY-MM-DD) that [start, end) touches. */
export function daysBetween(start: Date, end: Date): string[] {
  const days: string[] = [];
  const cursor = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
  while (cursor.getTime() < end.getTime()) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}
