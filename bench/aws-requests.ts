import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Figure, UnitUsage } from './scenario.ts';

/** DynamoDB data-plane calls: the ones that consume capacity and accept ReturnConsumedCapacity. */
const DATA_CALLS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);
const READ_CALLS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
}

/** What one client was asked to do, by operation, and (for DynamoDB) the capacity the emulator reported. */
export interface RequestTally {
  /** Requests by operation name (`Query`, `SendMessageBatch`, …). */
  requests: Record<string, number>;
  /** DynamoDB: read and write capacity units, by table, as the emulator computes them (item size based). */
  readUnits: Record<string, number>;
  writeUnits: Record<string, number>;
  /** DynamoDB writes (requests) by table, for the index writes the emulator does not count. */
  writeRequestsByTable: Record<string, number>;
  /** SQS: messages carried by SendMessage(Batch), and messages received. */
  messagesSent: number;
  messagesReceived: number;
  /** SQS: receives that returned messages, i.e. the handler invocations Lambda would make. */
  nonEmptyReceives: number;
}

export interface RequestCounter {
  dynamodb: RequestTally;
  sqs: RequestTally;
  /** Sets every tally back to zero, e.g. between seeding and the measured round. */
  reset(): void;
  total(tally: RequestTally): number;
}

const emptyTally = (): RequestTally => ({
  requests: {},
  readUnits: {},
  writeUnits: {},
  writeRequestsByTable: {},
  messagesSent: 0,
  messagesReceived: 0,
  nonEmptyReceives: 0,
});

const add = (record: Record<string, number>, key: string, amount: number) => {
  record[key] = (record[key] ?? 0) + amount;
};

/**
 * Counts every request the app's own SDK clients send, with an SDK middleware, so the bench reports what
 * a round would cost on AWS without touching the code under test. DynamoDB requests also ask for their
 * consumed capacity (ReturnConsumedCapacity=TOTAL); dynalite computes it from item sizes as DynamoDB does
 * for the base table (index writes are not included and are modelled by the cost scenario).
 */
export function countRequests(clients: { dynamodb: DynamoDBDocumentClient; sqs: SQSClient }): RequestCounter {
  const counter: RequestCounter = {
    dynamodb: emptyTally(),
    sqs: emptyTally(),
    reset() {
      counter.dynamodb = emptyTally();
      counter.sqs = emptyTally();
    },
    total: (tally) => Object.values(tally.requests).reduce((sum, n) => sum + n, 0),
  };

  clients.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'Unknown';
      const input = args.input as Record<string, unknown>;
      const isData = DATA_CALLS.has(command);
      if (isData) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      add(counter.dynamodb.requests, command.replace(/Command$/, ''), 1);
      if (isData) {
        const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
        const consumed = output.ConsumedCapacity;
        const units = READ_CALLS.has(command) ? counter.dynamodb.readUnits : counter.dynamodb.writeUnits;
        for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
          add(units, entry.TableName ?? 'unknown', entry.CapacityUnits ?? 0);
        }
        if (!READ_CALLS.has(command)) {
          for (const table of writtenTables(command, input))
            add(counter.dynamodb.writeRequestsByTable, table.name, table.items);
        }
      }
      return result;
    },
    // After the document client has marshalled the input, before it is serialized.
    { step: 'serialize', priority: 'high', name: 'benchCountDynamoDb' },
  );

  clients.sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const result = await next(args);
      add(counter.sqs.requests, command, 1);
      const input = args.input as { Entries?: unknown[] };
      if (command === 'SendMessageBatch') counter.sqs.messagesSent += input.Entries?.length ?? 0;
      if (command === 'SendMessage') counter.sqs.messagesSent += 1;
      if (command === 'ReceiveMessage') {
        const output = result.output as { Messages?: unknown[] };
        counter.sqs.messagesReceived += output.Messages?.length ?? 0;
        if (output.Messages?.length) counter.sqs.nonEmptyReceives += 1;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCountSqs' },
  );
  return counter;
}

/** Which tables a write request touches, and how many items in each. */
function writtenTables(command: string, input: Record<string, unknown>): { name: string; items: number }[] {
  if (command === 'BatchWriteItemCommand') {
    const requests = (input.RequestItems ?? {}) as Record<string, unknown[]>;
    return Object.entries(requests).map(([name, items]) => ({ name, items: items.length }));
  }
  if (command === 'TransactWriteItemsCommand') {
    const items = (input.TransactItems ?? []) as Record<string, { TableName?: string }>[];
    const byTable: Record<string, number> = {};
    for (const item of items) {
      const operation = Object.values(item)[0];
      if (operation?.TableName) add(byTable, operation.TableName, 1);
    }
    return Object.entries(byTable).map(([name, count]) => ({ name, items: count }));
  }
  return typeof input.TableName === 'string' ? [{ name: input.TableName, items: 1 }] : [];
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((total, n) => total + n, 0);

/** A tally divided into per-unit usage (per feed, per digest). */
export function usagePer(
  units: number,
  tally: { dynamodb: RequestTally; sqs: RequestTally },
  extra: {
    indexedTables: readonly string[];
    handlerCpuMs: number;
    sesSends: number;
    storiesCreated: number;
    logged: number;
  },
): UnitUsage {
  const per = (value: number) => value / units;
  const indexWrites = extra.indexedTables.reduce(
    (total, table) => total + (tally.dynamodb.writeRequestsByTable[table] ?? 0),
    0,
  );
  return {
    dynamodb_read_units: per(sum(tally.dynamodb.readUnits)),
    dynamodb_write_units: per(sum(tally.dynamodb.writeUnits)),
    dynamodb_index_write_units: per(2 * indexWrites),
    dynamodb_requests: per(sum(tally.dynamodb.requests)),
    sqs_requests: per(sum(tally.sqs.requests)),
    sqs_messages: per(tally.sqs.messagesSent),
    lambda_invocations: per(tally.sqs.nonEmptyReceives),
    handler_cpu_ms: per(extra.handlerCpuMs),
    ses_sends: per(extra.sesSends),
    stories_created: per(extra.storiesCreated),
    logged: per(extra.logged),
  };
}

/** A tally as JSON: requests by operation, capacity units by table (rounded to tenths). */
export function tallyFigures(tally: RequestTally): Figure {
  const rounded = (record: Record<string, number>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Math.round(value * 10) / 10]));
  return {
    requests: { ...tally.requests },
    read_units: rounded(tally.readUnits),
    write_units: rounded(tally.writeUnits),
    writes_by_table: { ...tally.writeRequestsByTable },
  };
}
