import type { SQSRecord } from 'aws-lambda';
import { type App, outboxDir } from '#lib/app/create-app.ts';
import { commandConfig } from '#lib/cli/data-dir.ts';
import { prepareDataFolder } from '#lib/cli/data-folder.ts';
import { describeError } from '#lib/cli/errors.ts';
import { createProgress } from '#lib/cli/progress.ts';
import { formatPollSummary, offlineHint } from '#lib/cli/round-summary.ts';
import type { Config } from '#lib/config.ts';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import type { Feed } from '#lib/feeds/feed.ts';
import { type AlertDelivery, createPollFeedsHandler } from '#lib/handlers/poll-feeds.ts';
import type { PollOutcome } from '#lib/ingest/poll-feed.ts';
import { summarizePolls } from '#lib/ingest/poll-summary.ts';
import type { PollFeedJob } from '#lib/jobs/messages.ts';
import { startLocalPipeline } from '#lib/local/pipeline.ts';
import { createTerminalLog } from '#lib/log.ts';
import { plural } from '#lib/plural.ts';

/** What `poll --all` receives; the local-stack round (poll-all.ts) implements it and returns the exit code. */
export interface PollAllOptions {
  allowPrivateNetworks: boolean;
  json: boolean;
  dataDir?: string | undefined;
  /** False with --no-default-feeds: a new data folder starts without config/feeds.yaml. */
  defaultFeeds?: boolean | undefined;
}

/** Feeds handed to the poll handler at once: the queue's batch size, so each batch looks like Lambda's. */
const BATCH_SIZE = 10;

/**
 * `cipherwatch poll --all`: one full round run by this process. Every enabled feed goes through the
 * same handler the poll-feeds Lambda runs, called directly rather than through the queue, and the
 * round's instant alerts go through the same delivery path (claim, send, ledger) the digests queue
 * drives. Nothing of the round passes through a queue, so a running `cipherwatch start` cannot take part
 * of it: the summary counts every feed of the round and names every alert it sent, and where.
 */
export async function runPollRound(options: PollAllOptions): Promise<number> {
  const base = commandConfig(options);
  const config = { ...base, allowPrivateNetworks: base.allowPrivateNetworks || options.allowPrivateNetworks };
  const { created } = await prepareDataFolder(config, 'create');
  if (created) process.stderr.write(`Created a new data folder at ${config.dataDir}.\n`);
  const pipeline = await startLocalPipeline(config, {
    dataDir: config.dataDir,
    seed: options.defaultFeeds !== false,
    overrides: { log: createTerminalLog('error') },
  });
  try {
    const { app } = pipeline;
    if (pipeline.seeded) {
      process.stderr.write(
        `Added ${plural(pipeline.seeded.added, 'default feed')} from ${pipeline.seeded.file} (once, on first use; ` +
          'cipherwatch feeds remove URL drops one).\n',
      );
    }
    const feeds = (await app.feeds.list()).filter((feed) => feed.enabled);
    if (feeds.length === 0) {
      process.stdout.write('No enabled feeds to poll. Add one with: cipherwatch feeds add URL\n');
      return 0;
    }
    const progress = createProgress('Polling', feeds.length);
    const outcomes: PollOutcome[] = [];
    const delivered: AlertDelivery[] = [];
    const handler = createPollFeedsHandler(app, (polled) => outcomes.push(...polled), {
      deliverAlertsNow: (deliveries) => delivered.push(...deliveries),
    });
    const lost: { feed: string; error: string }[] = [];
    for (let start = 0; start < feeds.length; start += BATCH_SIZE) {
      const batch = feeds.slice(start, start + BATCH_SIZE);
      const response = await handler({ Records: batch.map(jobRecord) });
      for (const failure of response.batchItemFailures) {
        const feed = batch.find((f) => f.id === failure.itemIdentifier);
        lost.push({ feed: feed?.name ?? failure.itemIdentifier, error: 'could not be polled (see the log)' });
      }
      progress.advance(batch.length);
    }
    progress.finish();
    const alerts = await withEmails(app, delivered);

    const summary = summarizePolls(outcomes);
    summary.polled += lost.length;
    summary.failed += lost.length;
    summary.failures.push(...lost);
    const offline = offlineHint(summary);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            ...summary,
            relevantByTopic: Object.fromEntries(summary.relevantByTopic),
            offline: offline !== undefined,
            alerts: alerts.map(({ email, outcome }) => ({ email, ...outcome })),
            mail: mailDestination(app.config),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      process.stdout.write(`${formatPollSummary(summary)}\n`);
      for (const failure of summary.failures)
        process.stdout.write(`  failed  ${failure.feed}: ${failure.error}\n`);
      if (offline) process.stdout.write(`${offline}\n`);
      process.stdout.write(formatAlerts(alerts, app.config));
    }
    return offline ? 1 : 0;
  } finally {
    await pipeline.stop();
  }
}

interface AlertReport {
  email: string;
  outcome: DeliveryOutcome | { status: 'failed'; error: string };
}

/** The round's alerts with their readers' addresses, for the summary. */
async function withEmails(app: App, deliveries: readonly AlertDelivery[]): Promise<AlertReport[]> {
  const reports: AlertReport[] = [];
  for (const { subscriberId, outcome } of deliveries) {
    const email = (await app.subscribers.get(subscriberId))?.email ?? subscriberId;
    reports.push({
      email,
      outcome:
        outcome.status === 'failed' ? { status: 'failed', error: describeError(outcome.error) } : outcome,
    });
  }
  return reports;
}

/** "Sent 2 instant alerts via the outbox /home/you/.cipherwatch/outbox: a@x (3 stories), b@y (1 story)" */
export function formatAlerts(alerts: readonly AlertReport[], config: Config): string {
  const sent = alerts.filter((alert) => alert.outcome.status === 'sent');
  const lines: string[] = [];
  if (sent.length > 0) {
    const who = sent
      .map(
        ({ email, outcome }) =>
          `${email} (${plural(outcome.status === 'sent' ? outcome.stories : 0, 'story', 'stories')})`,
      )
      .join(', ');
    lines.push(`Sent ${plural(sent.length, 'instant alert')} via ${mailDestination(config)}: ${who}`);
  } else {
    lines.push('No instant alerts sent. Digests go out on their schedule while cipherwatch start runs.');
  }
  for (const { email, outcome } of alerts) {
    if (outcome.status === 'failed') lines.push(`  alert to ${email} failed: ${outcome.error}`);
  }
  return `${lines.join('\n')}\n`;
}

function mailDestination(config: Config): string {
  switch (config.mail.transport) {
    case 'outbox':
      return `the outbox ${outboxDir(config)}`;
    case 'smtp':
      return `SMTP (${new URL(config.mail.smtpUrl ?? 'smtp://unknown').host})`;
    case 'ses':
      return `Amazon SES (${config.aws.region})`;
  }
}

/** One feed as the SQS record the schedule would have queued for it. */
function jobRecord(feed: Feed): SQSRecord {
  const now = Date.now();
  const body: PollFeedJob = { feedId: feed.id, scheduledAt: new Date(now).toISOString() };
  return {
    messageId: feed.id,
    receiptHandle: '',
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(now),
      SenderId: 'cipherwatch poll --all',
      ApproximateFirstReceiveTimestamp: String(now),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'cipherwatch:poll --all',
    awsRegion: 'local',
  };
}
