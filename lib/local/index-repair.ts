import { readFile, rm, writeFile } from 'node:fs/promises';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { IndexDefinition, TableDefinition } from '#lib/aws/resources.ts';

// dynalite writes an item and its secondary-index entries as separate LevelDB writes. A process killed
// between them (kill -9, an out-of-memory kill, a power cut) can leave an item missing from a sparse
// index (a feed never polled again, a reader never sent a digest) or an index entry describing a
// version of the item that was never stored. DynamoDB applies both at once, so only the local stack
// needs this: after an unclean stop, each table's global indexes are checked against its items and
// mended through the ordinary API.

type Item = Record<string, unknown>;

/** What mending one index takes: items to write back, and stale entries to take out. */
export interface IndexRepairPlan {
  /** Items that belong in the index but have no entry there. */
  missing: Item[];
  /** Index entries whose item is gone or no longer carries those index keys: the entry's copy of the item. */
  stale: { entry: Item; current: Item | undefined }[];
}

const keyOf = (item: Item, names: readonly string[]) => JSON.stringify(names.map((name) => item[name]));

function tableKeyNames(table: TableDefinition): string[] {
  return [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
}

function indexKeyNames(index: IndexDefinition): string[] {
  return [index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])];
}

/** Compares a table's items with one global index's entries (both read in full); pure, for tests. */
export function planIndexRepair(
  table: TableDefinition,
  index: IndexDefinition,
  items: readonly Item[],
  entries: readonly Item[],
): IndexRepairPlan {
  const tableKeys = tableKeyNames(table);
  const indexKeys = indexKeyNames(index);
  // An entry is identified by the item's key and the index key it was filed under.
  const entryId = (item: Item) => keyOf(item, [...tableKeys, ...indexKeys]);
  const inIndex = (item: Item) => indexKeys.every((name) => item[name] !== undefined && item[name] !== null);
  const itemsByKey = new Map(items.map((item) => [keyOf(item, tableKeys), item]));
  const expected = new Set(items.filter(inIndex).map(entryId));
  const present = new Set(entries.map(entryId));
  return {
    missing: items.filter((item) => inIndex(item) && !present.has(entryId(item))),
    stale: entries
      .filter((entry) => !expected.has(entryId(entry)))
      .map((entry) => ({ entry, current: itemsByKey.get(keyOf(entry, tableKeys)) })),
  };
}

async function scanEverything(client: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

interface JournalEntry {
  table: string;
  item: Item;
}

/**
 * Mends every global index of the given tables; returns how many entries were restored and removed.
 * Only for a data folder this process holds alone, before anything else reads or writes it.
 *
 * Taking out a stale entry briefly writes the stale version over the item, so the item's true version
 * is first written to `journalFile`; a repair itself stopped midway is finished from it on the next
 * start, and no item is left at an old version.
 */
export async function repairSecondaryIndexes(
  client: DynamoDBDocumentClient,
  tables: readonly TableDefinition[],
  journalFile: string,
): Promise<{ restored: number; removed: number }> {
  await replayJournal(client, journalFile);
  let restored = 0;
  let removed = 0;
  for (const table of tables) {
    for (const index of table.globalIndexes) {
      const items = await scanEverything(client, { TableName: table.name });
      const entries = await scanEverything(client, { TableName: table.name, IndexName: index.name });
      const plan = planIndexRepair(table, index, items, entries);
      const rewritten = new Set<Item>();
      if (plan.stale.length > 0) {
        const journal: JournalEntry[] = plan.stale.flatMap(({ current }) =>
          current ? [{ table: table.name, item: current }] : [],
        );
        await writeFile(journalFile, `${JSON.stringify(journal)}\n`, { mode: 0o600 });
      }
      for (const { entry, current } of plan.stale) {
        // Writing the entry's version files it under the stale key again (and drops the current one);
        // writing the true item back, or deleting it if there is none, then drops the stale key.
        await client.send(new PutCommand({ TableName: table.name, Item: entry }));
        if (current) {
          await client.send(new PutCommand({ TableName: table.name, Item: current }));
          rewritten.add(current);
        } else {
          const key = Object.fromEntries(tableKeyNames(table).map((name) => [name, entry[name]]));
          await client.send(new DeleteCommand({ TableName: table.name, Key: key }));
        }
        removed++;
      }
      await rm(journalFile, { force: true });
      for (const item of plan.missing) {
        if (!rewritten.has(item)) await client.send(new PutCommand({ TableName: table.name, Item: item }));
        restored++;
      }
    }
  }
  return { restored, removed };
}

/** Writes back the true versions a repair stopped midway had set aside. */
async function replayJournal(client: DynamoDBDocumentClient, journalFile: string): Promise<void> {
  let journal: JournalEntry[];
  try {
    journal = JSON.parse(await readFile(journalFile, 'utf8')) as JournalEntry[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    // Written before any item was touched: a journal cut short means nothing was changed yet.
    await rm(journalFile, { force: true });
    return;
  }
  for (const { table, item } of journal) await client.send(new PutCommand({ TableName: table, Item: item }));
  await rm(journalFile, { force: true });
}
