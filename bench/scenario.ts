/**
 * What every bench scenario hands back to the runner: its figures (numbers, or groups of numbers), the
 * targets it is held to, and the few words a reader needs to trust the figures.
 */
export type Figure = number | string | boolean | null | Figure[] | { [name: string]: Figure };

export interface Target {
  /** The figure the target reads, e.g. `ratio` or `bytes.poll-feeds`. */
  figure: string;
  /** The target in words, e.g. `≥ 0.4`. */
  target: string;
  met: boolean;
}

export interface ScenarioResult {
  key: ScenarioKey;
  title: string;
  figures: Record<string, Figure>;
  targets: Target[];
  /** How the figures were taken (sizes, concurrency, what was counted). */
  notes: string[];
  /** The figures the readable table shows (dotted paths); the JSON carries them all. */
  headline: string[];
  seconds: number;
}

export const SCENARIO_KEYS = ['ingest', 'classify', 'poll', 'digest', 'bundle', 'cost'] as const;
export type ScenarioKey = (typeof SCENARIO_KEYS)[number];

/** Options every scenario receives from the command line. */
export interface ScenarioOptions {
  /** Multiplies the scenario's sizes (feeds, subscribers, stories); 1 for the figures in the README. */
  scale: number;
  /** For `cost`: the poll and digest results of this run, when they were measured. */
  measured?: Partial<Record<ScenarioKey, ScenarioResult>>;
}

/** A size scaled for a quick run, never below `min`. */
export function scaled(size: number, options: ScenarioOptions, min = 1): number {
  return Math.max(min, Math.round(size * options.scale));
}

/** A progress line on stderr, so `--json` output on stdout stays one object. */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Rounds to `digits` decimals, for figures a person reads. */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 0);
}

/** Runs `task` for 0..count-1 with at most `limit` in flight. */
export async function inParallel(
  count: number,
  limit: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * What one unit of work (a feed polled, a digest sent) used on AWS, as counted in a bench round: the
 * input the cost scenario prices. Index writes are modelled (the emulator does not count them).
 */
export interface UnitUsage {
  dynamodb_read_units: number;
  dynamodb_write_units: number;
  /** Modelled: writes that move an item in a sparse index (feeds' poll slot, readers' digest slot) cost 2 WRU there. */
  dynamodb_index_write_units: number;
  dynamodb_requests: number;
  sqs_requests: number;
  sqs_messages: number;
  lambda_invocations: number;
  /** Milliseconds the handler kept this process's main thread busy (event-loop active time; emulators excluded). */
  handler_cpu_ms: number;
  ses_sends: number;
  stories_created: number;
  /** Units that write an info log line (an updated feed, a sent digest). */
  logged: number;
}
