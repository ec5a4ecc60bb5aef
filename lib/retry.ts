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
