import { describe, expect, it } from 'vitest';
import { TABLES } from '#lib/aws/resources.ts';
import { planIndexRepair } from '#lib/local/index-repair.ts';

const feeds = TABLES.feeds;
const byNextPoll = feeds.globalIndexes[0] as (typeof feeds.globalIndexes)[number];
const feed = (id: string, slot?: string) => ({
  id,
  name: `Feed ${id}`,
  ...(slot ? { pollBucket: 'enabled', pollSlot: `${slot}#${id}` } : {}),
});

describe('planIndexRepair', () => {
  it('finds nothing to do when every indexed item has exactly its entry', () => {
    const items = [feed('a', 't1'), feed('b', 't2'), feed('off')];
    expect(planIndexRepair(feeds, byNextPoll, items, [feed('a', 't1'), feed('b', 't2')])).toEqual({
      missing: [],
      stale: [],
    });
  });

  it('finds an item the index lost (killed between the index delete and the new entry)', () => {
    const lost = feed('lost', 't1');
    expect(planIndexRepair(feeds, byNextPoll, [lost, feed('b', 't2')], [feed('b', 't2')])).toEqual({
      missing: [lost],
      stale: [],
    });
  });

  it('finds an entry filed under keys the item never got (killed before the item was written)', () => {
    const stored = feed('a', 't1');
    const unwritten = feed('a', 't9');
    expect(planIndexRepair(feeds, byNextPoll, [stored], [unwritten])).toEqual({
      missing: [stored],
      stale: [{ entry: unwritten, current: stored }],
    });
  });

  it('finds an entry whose item is gone, or no longer in the sparse index', () => {
    const disabled = feed('disabled');
    const entries = [feed('gone', 't1'), feed('disabled', 't2')];
    expect(planIndexRepair(feeds, byNextPoll, [disabled], entries)).toEqual({
      missing: [],
      stale: [
        { entry: entries[0], current: undefined },
        { entry: entries[1], current: disabled },
      ],
    });
  });
});
