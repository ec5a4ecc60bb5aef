import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { fromLedgerId, legacyLedgerKey, toLedgerId, windowItemKey } from '#lib/store/delivery-repository.ts';
import { storyIdFor } from '#lib/stories/normalize.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

const LEASE_MS = 600_000;

describe('the delivery ledger', () => {
  const stack = useLocalStack();

  it('keeps story ids compact, and gives back exactly the ids it was given', async () => {
    const { deliveries, dynamodb } = stack().app;
    const ids = ['https://a.example/1', 'https://b.example/2'].map(storyIdFor);
    await deliveries.markSent(
      'compact',
      'daily:2026-11-30',
      [...ids, 'not-a-story-hash'],
      'm1',
      new Date('2026-11-30T08:00:00Z'),
    );

    const item = (
      await dynamodb.send(
        new GetCommand({ TableName: deliveries.table, Key: windowItemKey('compact', 'daily:2026-11-30') }),
      )
    ).Item;
    const stored = [...((item?.sent as Set<string> | undefined) ?? [])].sort();
    expect(stored.every((id) => id.length <= 23)).toBe(true);
    expect(stored).toContain('not-a-story-hash');
    expect((await deliveries.ledger('compact')).sent).toEqual(new Set([...ids, 'not-a-story-hash']));
  });

  it('records each email in an item of its own, so a busy reader never reaches the 400 KB item limit', async () => {
    const { deliveries, dynamodb } = stack().app;
    // Two months of a reader sent 300 stories a day: 18,000 ids, more than one item could hold.
    const sentIds: string[] = [];
    for (let day = 0; day < 60; day++) {
      const ids = Array.from({ length: 300 }, (_, index) =>
        storyIdFor(`https://busy.example/${day}/${index}`),
      );
      sentIds.push(...ids);
      const date = new Date(Date.UTC(2026, 9, 1) + day * 86_400_000);
      await deliveries.markSent('busy', `daily:${date.toISOString().slice(0, 10)}`, ids, `m${day}`, date);
    }

    const ledger = await deliveries.ledger('busy');
    expect(ledger.sent.size).toBe(18_000);
    expect(ledger.sent).toEqual(new Set(sentIds));
    expect(ledger.windows.size).toBe(60);
    const lastDay = await dynamodb.send(
      new GetCommand({ TableName: deliveries.table, Key: windowItemKey('busy', 'daily:2026-11-29') }),
    );
    const sentThatDay = (lastDay.Item?.sent as Set<string> | undefined) ?? new Set<string>();
    expect(sentThatDay.size).toBe(300);
    // The day's own ids and nothing more: about 7 KB, where the single item held all 18,000.
    expect(JSON.stringify([...sentThatDay]).length).toBeLessThan(10_000);
  });

  it('claims a window once, gives the claim back after a failed send, and never claims a sent window', async () => {
    const { deliveries } = stack().app;
    const now = new Date('2026-11-30T08:00:00Z');
    expect(await deliveries.claim('claims', 'daily:2026-11-30', now, LEASE_MS)).toBe('claimed');
    expect(await deliveries.claim('claims', 'daily:2026-11-30', now, LEASE_MS)).toBe('in-progress');

    await deliveries.release('claims', 'daily:2026-11-30');
    expect((await deliveries.ledger('claims')).windows.has('daily:2026-11-30')).toBe(false);
    expect(await deliveries.claim('claims', 'daily:2026-11-30', now, LEASE_MS)).toBe('claimed');

    await deliveries.markSent('claims', 'daily:2026-11-30', [], 'm1', now);
    const later = new Date(now.getTime() + 2 * LEASE_MS);
    expect(await deliveries.claim('claims', 'daily:2026-11-30', later, LEASE_MS)).toBe('already-sent');
    expect((await deliveries.ledger('claims')).windows.get('daily:2026-11-30')).toEqual({
      status: 'sent',
      at: now.toISOString(),
      messageId: 'm1',
    });
  });

  it('lets a claim whose sender died be taken over once its lease is past', async () => {
    const { deliveries } = stack().app;
    const now = new Date('2026-11-30T08:00:00Z');
    await deliveries.claim('died', 'daily:2026-11-30', now, LEASE_MS);
    const afterLease = new Date(now.getTime() + LEASE_MS + 1);
    expect(await deliveries.claim('died', 'daily:2026-11-30', afterLease, LEASE_MS)).toBe('claimed');
  });

  it('still reads the single ledger item of earlier releases, so no story or window is sent twice across the upgrade', async () => {
    const { deliveries, dynamodb } = stack().app;
    const old = storyIdFor('https://old.example/1');
    const compact = storyIdFor('https://old.example/2');
    await dynamodb.send(
      new PutCommand({
        TableName: deliveries.table,
        Item: {
          ...legacyLedgerKey('older'),
          'w:daily:2026-11-29': { status: 'sent', at: '2026-11-29T08:00:00.000Z', messageId: 'm0' },
          's:2026-11': new Set([old, toLedgerId(compact)]),
        },
      }),
    );
    await deliveries.markSent(
      'older',
      'daily:2026-11-30',
      [storyIdFor('https://new.example/1')],
      'm1',
      new Date(),
    );

    const ledger = await deliveries.ledger('older');
    expect(ledger.sent).toEqual(new Set([old, compact, storyIdFor('https://new.example/1')]));
    expect(ledger.windows.get('daily:2026-11-29')?.status).toBe('sent');
    expect(ledger.windows.get('daily:2026-11-30')?.status).toBe('sent');
  });

  it('forgets every record of a subscriber, old and new, and no one else’s', async () => {
    const { deliveries, dynamodb } = stack().app;
    await dynamodb.send(
      new PutCommand({
        TableName: deliveries.table,
        Item: { ...legacyLedgerKey('leaving'), 's:2026-11': new Set(['x']) },
      }),
    );
    for (const day of ['2026-11-28', '2026-11-29', '2026-11-30'])
      await deliveries.markSent(
        'leaving',
        `daily:${day}`,
        [`${day}-story`],
        'm',
        new Date(`${day}T08:00:00Z`),
      );
    await deliveries.markSent('staying', 'daily:2026-11-30', ['kept'], 'm', new Date());

    await deliveries.forget('leaving');

    expect(await deliveries.ledger('leaving')).toEqual({ windows: new Map(), sent: new Set() });
    expect((await deliveries.ledger('staying')).sent).toEqual(new Set(['kept']));
  });

  it('turns an id into its ledger form and back, leaving other ids alone', () => {
    const id = storyIdFor('https://round.example/trip');
    expect(toLedgerId(id)).toHaveLength(23);
    expect(fromLedgerId(toLedgerId(id))).toBe(id);
    expect(toLedgerId('seeded0')).toBe('seeded0');
    expect(fromLedgerId('seeded0')).toBe('seeded0');
  });
});
