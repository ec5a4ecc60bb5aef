import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { fromLedgerId, ledgerKey, toLedgerId } from '#lib/store/delivery-repository.ts';
import { storyIdFor } from '#lib/stories/normalize.ts';
import { useLocalStack } from '../helpers/local-stack.ts';

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
      await dynamodb.send(new GetCommand({ TableName: deliveries.table, Key: ledgerKey('compact') }))
    ).Item;
    const stored = [...((item?.['s:2026-11'] as Set<string> | undefined) ?? [])].sort();
    expect(stored.every((id) => id.length <= 23)).toBe(true);
    expect(stored).toContain('not-a-story-hash');
    expect((await deliveries.ledger('compact')).sent).toEqual(new Set([...ids, 'not-a-story-hash']));
  });

  it('still reads a ledger written with full ids, so no story is sent twice across the upgrade', async () => {
    const { deliveries, dynamodb } = stack().app;
    const old = storyIdFor('https://old.example/1');
    await dynamodb.send(
      new PutCommand({
        TableName: deliveries.table,
        Item: { ...ledgerKey('older'), 's:2026-11': new Set([old]) },
      }),
    );
    expect((await deliveries.ledger('older')).sent).toEqual(new Set([old]));
  });

  it('forgets the month before last once a digest is recorded, and keeps the previous one', async () => {
    const { deliveries } = stack().app;
    const september = storyIdFor('https://sept.example/1');
    const october = storyIdFor('https://oct.example/1');
    await deliveries.markSent(
      'months',
      'daily:2026-09-30',
      [september],
      'm1',
      new Date('2026-09-30T08:00:00Z'),
    );
    await deliveries.markSent(
      'months',
      'daily:2026-10-31',
      [october],
      'm2',
      new Date('2026-10-31T08:00:00Z'),
    );
    const before = await deliveries.ledger('months');
    await deliveries.markSent(
      'months',
      'daily:2026-11-01',
      [],
      'm3',
      new Date('2026-11-01T08:00:00Z'),
      before,
    );

    expect((await deliveries.ledger('months')).sent).toEqual(new Set([october]));
  });

  it('turns an id into its ledger form and back, leaving other ids alone', () => {
    const id = storyIdFor('https://round.example/trip');
    expect(toLedgerId(id)).toHaveLength(23);
    expect(fromLedgerId(toLedgerId(id))).toBe(id);
    expect(toLedgerId('seeded0')).toBe('seeded0');
    expect(fromLedgerId('seeded0')).toBe('seeded0');
  });
});
