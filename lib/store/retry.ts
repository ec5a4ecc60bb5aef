/** Waits with exponential backoff and full jitter: attempt 0 → up to base ms, doubling to the cap. */
export function backoffDelay(
  attempt: number,
  baseMs = 50,
  capMs = 5_000,
  random: () => number = Math.random,
) {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Splits a list into chunks of at most `size` (DynamoDB takes 25 writes or 100 reads per call, SQS 10). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Runs `task` over `items` with at most `limit` in flight, preserving order of results. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
