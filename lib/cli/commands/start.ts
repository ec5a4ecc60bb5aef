import type { Command } from 'commander';
import { outboxDir } from '#lib/app/create-app.ts';
import { commandConfig, withDataDirOption } from '#lib/cli/data-dir.ts';
import { describeError, UsageError } from '#lib/cli/errors.ts';
import { formatDeliverySummary, formatPollSummary } from '#lib/cli/round-summary.ts';
import { createScheduleDigestsHandler, createSchedulePollsHandler } from '#lib/handlers/schedules.ts';
import { summarizePolls } from '#lib/ingest/poll-summary.ts';
import { type LocalPipeline, startLocalPipeline } from '#lib/local/pipeline.ts';
import { createTerminalLog } from '#lib/log.ts';

/** Digest rounds run a few minutes past the hour, once every poll that began before it has written. */
const DIGEST_MINUTE = 5;

export function registerStartCommand(program: Command): void {
  withDataDirOption(
    program
      .command('start')
      .description('run the whole pipeline locally: emulators, schedules, queue consumers (Ctrl-C stops)'),
  ).action(async (options: { dataDir?: string }) => {
    const config = commandConfig(options);
    const dataDir = config.dataDir;
    // The cycle lines say what happened; a feed's failure is in its round's count and in `feeds list`.
    const log = createTerminalLog(config.logLevel === 'info' ? 'error' : config.logLevel);
    const say = (line: string) => process.stdout.write(`${new Date().toTimeString().slice(0, 8)}  ${line}\n`);

    const pipeline = await startLocalPipeline(config, { dataDir, overrides: { log } });
    if (pipeline.stack.borrowedFrom !== undefined) {
      await pipeline.stop();
      throw new UsageError(
        `Cipherwatch is already running on ${dataDir} (pid ${pipeline.stack.borrowedFrom}); ` +
          'stop it first, or give this one another --data-dir.',
      );
    }
    const feeds = await pipeline.app.feeds.list();
    const mail =
      config.mail.transport === 'outbox'
        ? `outbox ${outboxDir(config)}`
        : `${config.mail.transport} (${config.mail.from})`;
    process.stdout.write(
      [
        'Cipherwatch is running.',
        `  data      ${dataDir}`,
        `  DynamoDB  ${pipeline.stack.dynamodbEndpoint}${pipeline.stack.ownsEmulators ? ' (dynalite)' : ''}`,
        `  SQS       ${pipeline.stack.sqsEndpoint}${pipeline.stack.ownsEmulators ? ' (fauxqs)' : ''}`,
        `  feeds     ${feeds.filter((f) => f.enabled).length} enabled of ${feeds.length}, polled every ${config.pollIntervalMinutes} min`,
        `  digests   checked hourly at :${String(DIGEST_MINUTE).padStart(2, '0')}`,
        `  mail      ${mail}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );

    pipeline.pollConsumer.start();
    pipeline.digestConsumer.start();
    const timers = startSchedules(pipeline, config.pollIntervalMinutes, say);
    await waitForSignal();
    say('Stopping: finishing the batches in hand…');
    for (const timer of timers) clearTimeout(timer.current);
    await pipeline.stop();
    say('Stopped. Data is kept in the data folder.');
  });
}

/** Alerts go out whenever a poll finds something urgent; they are reported this often. */
const ALERT_REPORT_MS = 5_000;

function startSchedules(pipeline: LocalPipeline, pollMinutes: number, say: (line: string) => void) {
  const pollTimer: { current?: NodeJS.Timeout } = {};
  const digestTimer: { current?: NodeJS.Timeout } = {};
  const alertTimer: { current?: NodeJS.Timeout } = {};
  let digestRoundRunning = false;
  // The same handlers the schedules invoke on AWS.
  const schedulePolls = createSchedulePollsHandler(pipeline.app);
  const scheduleDigests = createScheduleDigestsHandler(pipeline.app);

  const pollCycle = async () => {
    try {
      const queued = await schedulePolls();
      if (queued.queued > 0) {
        await waitFor(() => pipeline.pending().polls >= queued.queued, 120_000);
        const summary = summarizePolls(pipeline.takePolls());
        const hint = summary.failed ? ' (see cipherwatch feeds list)' : '';
        say(`poll round  ${formatPollSummary(summary)}${hint}`);
      }
    } catch (error) {
      say(`poll round failed: ${describeError(error)}`);
    }
    pollTimer.current = setTimeout(pollCycle, pollMinutes * 60_000);
  };
  const digestCycle = async () => {
    digestRoundRunning = true;
    try {
      const queued = await scheduleDigests();
      if (queued.queued > 0) {
        await waitFor(() => pipeline.pending().deliveries >= queued.queued, 120_000);
        say(`digest round  ${formatDeliverySummary(pipeline.takeDeliveries())}`);
      }
    } catch (error) {
      say(`digest round failed: ${describeError(error)}`);
    } finally {
      digestRoundRunning = false;
    }
    digestTimer.current = setTimeout(digestCycle, msUntilNextDigestRound(new Date()));
  };
  const alertReport = () => {
    if (!digestRoundRunning && pipeline.pending().deliveries > 0) {
      say(`instant alerts  ${formatDeliverySummary(pipeline.takeDeliveries())}`);
    }
    alertTimer.current = setTimeout(alertReport, ALERT_REPORT_MS);
  };
  void pollCycle();
  // Digests owed from before a stop (a crash, a sleeping laptop) go out now, not at the next round.
  void digestCycle();
  alertTimer.current = setTimeout(alertReport, ALERT_REPORT_MS);
  return [pollTimer, digestTimer, alertTimer];
}

function msUntilNextDigestRound(now: Date): number {
  const next = new Date(now);
  next.setUTCMinutes(DIGEST_MINUTE, 0, 0);
  if (next.getTime() <= now.getTime()) next.setUTCHours(next.getUTCHours() + 1);
  return next.getTime() - now.getTime();
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
