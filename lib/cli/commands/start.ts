import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Command, InvalidArgumentError } from 'commander';
import { type App, outboxDir } from '#lib/app/create-app.ts';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { prepareDataFolder } from '#lib/cli/data-folder.ts';
import { describeError, UsageError } from '#lib/cli/errors.ts';
import { formatDeliverySummary, formatPollSummary, offlineHint } from '#lib/cli/round-summary.ts';
import { loadConfig } from '#lib/config.ts';
import { createScheduleDigestsHandler, createSchedulePollsHandler } from '#lib/handlers/schedules.ts';
import { summarizePolls } from '#lib/ingest/poll-summary.ts';
import { type LocalPipeline, startLocalPipeline } from '#lib/local/pipeline.ts';
import { createTerminalLog } from '#lib/log.ts';
import { plural } from '#lib/plural.ts';
import { createWebApp } from '#lib/web/app.ts';
import { webDependencies } from '#lib/web/wiring.ts';

/** Digest rounds run a few minutes past the hour, once every poll that began before it has written. */
const DIGEST_MINUTE = 5;

export function registerStartCommand(program: Command): void {
  withDataDirOption(
    program
      .command('start')
      .description(
        'run the whole pipeline locally: emulators, schedules, queue consumers and the web app (Ctrl-C stops)',
      )
      .option('--port <port>', 'port for the web app (default: $CIPHERWATCH_PORT or 3000)', parsePort)
      .option('--no-default-feeds', 'on a new data folder: start without the default feeds'),
  ).action(async (options: { dataDir?: string; port?: number; defaultFeeds?: boolean }) => {
    const config = loadConfig({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.port ? { port: options.port } : {}),
    });
    const dataDir = config.dataDir;
    const { created } = await prepareDataFolder(config, 'create');
    // The cycle lines say what happened; a feed's failure is in its round's count and in `feeds list`.
    const log = createTerminalLog(config.logLevel === 'info' ? 'error' : config.logLevel);
    const say = (line: string) => process.stdout.write(`${new Date().toTimeString().slice(0, 8)}  ${line}\n`);

    const pipeline = await startLocalPipeline(config, {
      dataDir,
      seed: options.defaultFeeds !== false,
      overrides: { log },
    });
    if (pipeline.stack.borrowedFrom !== undefined) {
      await pipeline.stop();
      throw new UsageError(
        `Cipherwatch is already running on ${dataDir} (pid ${pipeline.stack.borrowedFrom}); ` +
          'stop it first, or give this one another --data-dir.',
      );
    }
    let web: { server: Server; url: string };
    try {
      web = await serveWebApp(pipeline.app, config.port);
    } catch (error) {
      await pipeline.stop();
      throw error;
    }
    const feeds = await pipeline.app.feeds.list();
    const mail =
      config.mail.transport === 'outbox'
        ? `outbox ${outboxDir(config)}`
        : `${config.mail.transport} (${config.mail.from})`;
    process.stdout.write(
      [
        'Cipherwatch is running.',
        `  web       ${web.url}${web.url === config.publicUrl ? '' : ` (links in emails: ${config.publicUrl})`}`,
        `  data      ${dataDir}${created ? ' (new)' : ''}`,
        `  DynamoDB  ${pipeline.stack.dynamodbEndpoint}${pipeline.stack.ownsEmulators ? ' (dynalite)' : ''}`,
        `  SQS       ${pipeline.stack.sqsEndpoint}${pipeline.stack.ownsEmulators ? ' (fauxqs)' : ''}`,
        `  feeds     ${feeds.filter((f) => f.enabled).length} enabled of ${feeds.length}, polled every ${config.pollIntervalMinutes} min`,
        ...(pipeline.seeded
          ? [
              `            ${plural(pipeline.seeded.added, 'default feed')} added from ${pipeline.seeded.file} (first run only)`,
            ]
          : []),
        `  digests   checked hourly at :${String(DIGEST_MINUTE).padStart(2, '0')}`,
        `  mail      ${mail}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );

    pipeline.pollConsumer.start();
    pipeline.digestConsumer.start();
    pipeline.mailConsumer.start();
    const timers = startSchedules(pipeline, config.pollIntervalMinutes, say);
    await waitForSignal();
    say('Stopping: finishing the batches in hand…');
    for (const timer of timers) clearTimeout(timer.current);
    await new Promise((resolve) => web.server.close(resolve));
    await pipeline.stop();
    say('Stopped. Data is kept in the data folder.');
  });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 1 to 65535.');
  }
  return port;
}

/** Serves the web app on loopback: a laptop's pipeline is not for the whole network. */
function serveWebApp(app: App, port: number): Promise<{ server: Server; url: string }> {
  const web = createWebApp(webDependencies(app, { clientAddress: (c) => getConnInfo(c).remote.address }));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: web.fetch, port, hostname: '127.0.0.1' }) as Server;
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`Port ${port} is already in use; choose another with --port or CIPHERWATCH_PORT.`)
          : error,
      );
    });
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      resolve({ server, url: `http://localhost:${address.port}` });
    });
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
        const offline = offlineHint(summary);
        if (offline) say(offline);
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
