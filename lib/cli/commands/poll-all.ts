import { commandConfig } from '#lib/cli/data-dir.ts';
import { createProgress } from '#lib/cli/progress.ts';
import { formatPollSummary } from '#lib/cli/round-summary.ts';
import { summarizePolls } from '#lib/ingest/poll-summary.ts';
import type { PollFeedJob } from '#lib/jobs/messages.ts';
import { startLocalPipeline } from '#lib/local/pipeline.ts';
import { createTerminalLog } from '#lib/log.ts';

/** What `poll --all` receives; the local-stack round (poll-all.ts) implements it and returns the exit code. */
export interface PollAllOptions {
  allowPrivateNetworks: boolean;
  json: boolean;
  dataDir?: string | undefined;
}

/**
 * `cipherwatch poll --all`: one full round on the local stack, every enabled feed polled now through
 * the same queue and handler as the schedule, with a progress bar and a summary; failed feeds are listed, not fatal.
 */
export async function runPollRound(options: PollAllOptions): Promise<number> {
  const config = commandConfig(options);
  let progress: ReturnType<typeof createProgress> | undefined;
  const pipeline = await startLocalPipeline(
    { ...config, allowPrivateNetworks: config.allowPrivateNetworks || options.allowPrivateNetworks },
    {
      dataDir: config.dataDir,
      onPollBatch: (outcomes) => progress?.advance(outcomes.length),
      overrides: { log: createTerminalLog('error') },
    },
  );
  try {
    const { app } = pipeline;
    const feeds = (await app.feeds.list()).filter((feed) => feed.enabled);
    const now = new Date().toISOString();
    progress = createProgress('Polling', feeds.length);
    await app.queues.pollFeeds.send(
      feeds.map((feed) => ({
        id: feed.id,
        body: { feedId: feed.id, scheduledAt: now } satisfies PollFeedJob,
      })),
    );
    await pipeline.pollConsumer.drain();
    await pipeline.digestConsumer.drain();
    progress.finish();
    const summary = summarizePolls(pipeline.takePolls());
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ ...summary, relevantByTopic: Object.fromEntries(summary.relevantByTopic) }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${formatPollSummary(summary)}\n`);
      for (const failure of summary.failures)
        process.stdout.write(`  failed  ${failure.feed}: ${failure.error}\n`);
    }
    return 0;
  } finally {
    await pipeline.stop();
  }
}
