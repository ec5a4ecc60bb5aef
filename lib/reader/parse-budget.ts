// A processor-time budget for reading one feed, so no document can hold the poller's event loop for long.
import { FeedParseError } from './errors.ts';

const CHECKS_PER_READING = 16;

/** How much processor time parsing and normalizing one feed may take by default. */
export const DEFAULT_PARSE_BUDGET_MS = 10_000;

/** Reading the feed used up its processor-time budget. */
export class ParseBudgetExceededError extends FeedParseError {
  override name = 'ParseBudgetExceededError';
  readonly budgetMs: number;
  /** What was being done when the budget ran out. */
  readonly stage: string;

  constructor(url: string, budgetMs: number, stage: string) {
    super(
      `Reading the feed took more than ${budgetMs / 1000} seconds of processor time (stopped while ${stage}); ` +
        'it is too large or too complex to read',
      url,
    );
    this.budgetMs = budgetMs;
    this.stage = stage;
  }
}

/**
 * Counts the processor time (user + system) spent since it was created and throws a
 * `ParseBudgetExceededError` from `check` once it passes the budget. Processor time, not wall time, so a
 * machine busy with other work does not cut a feed short. Checked between steps and between items: each step
 * is linear in the document's size, so no single step can run far past the budget on a feed within the size cap.
 */
export class ParseBudget {
  private readonly elapsedMs: () => number;

  /** `clock` measures milliseconds spent since the budget was created; processor time unless a test injects one. */
  constructor(
    private readonly url: string,
    readonly budgetMs: number = DEFAULT_PARSE_BUDGET_MS,
    clock: () => () => number = processorClock,
  ) {
    this.elapsedMs = clock();
  }

  private checks = 0;

  /**
   * Throws when the budget is spent; `stage` says what was being done, for the error message. Reading the
   * clock is a system call, so only every 16th check between items reads it (a stage change always does).
   */
  check(stage: string): void {
    this.checks += 1;
    if (stage === this.lastStage && this.checks % CHECKS_PER_READING !== 0) return;
    this.lastStage = stage;
    if (this.elapsedMs() > this.budgetMs) throw new ParseBudgetExceededError(this.url, this.budgetMs, stage);
  }

  private lastStage: string | undefined;
}

function processorClock(): () => number {
  const start = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
}
