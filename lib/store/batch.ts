import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { chunk } from '#lib/batches.ts';
import { backoffDelay, sleep } from '#lib/retry.ts';

type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number];

/** Raised when DynamoDB keeps returning unprocessed items after every retry. */
export class BatchIncompleteError extends Error {
  override name = 'BatchIncompleteError';
  constructor(
    readonly table: string,
    readonly remaining: number,
  ) {
    super(`DynamoDB left ${remaining} item(s) in ${table} unprocessed after retrying; try again later.`);
  }
}

const MAX_ATTEMPTS = 8;

/** Writes items 25 per call, retrying `UnprocessedItems` with backoff and jitter until none are left. */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (const group of chunk(requests, 25)) {
    let pending: WriteRequest[] = group;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new BatchIncompleteError(table, pending.length);
      if (attempt > 0) await sleep(backoffDelay(attempt));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}

type GetRequests = NonNullable<ConstructorParameters<typeof BatchGetCommand>[0]['RequestItems']>;

/** Reads items 100 per call, retrying `UnprocessedKeys`; returns the items found, in no set order. */
export async function batchGet<T>(
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  projection?: string,
): Promise<T[]> {
  const found: T[] = [];
  for (const group of chunk(keys, 100)) {
    const answered = await batchGetAcross(client, {
      [table]: { Keys: group, ...(projection ? { ProjectionExpression: projection } : {}) },
    });
    found.push(...((answered[table] ?? []) as T[]));
  }
  return found;
}

/**
 * One BatchGetItem request, possibly across tables (at most 100 keys in all), asked again with backoff
 * for whatever DynamoDB hands back unprocessed under load. Returns the items found per table.
 */
export async function batchGetAcross(
  client: DynamoDBDocumentClient,
  requests: GetRequests,
): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = {};
  let pending: GetRequests = requests;
  for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) {
      const [table, rest] = Object.entries(pending)[0] ?? ['?', undefined];
      throw new BatchIncompleteError(table, rest?.Keys?.length ?? 0);
    }
    if (attempt > 0) await sleep(backoffDelay(attempt));
    const result: BatchGetCommandOutput = await client.send(new BatchGetCommand({ RequestItems: pending }));
    for (const [table, items] of Object.entries(result.Responses ?? {})) {
      found[table] = [...(found[table] ?? []), ...items];
    }
    pending = (result.UnprocessedKeys ?? {}) as GetRequests;
  }
  return found;
}
