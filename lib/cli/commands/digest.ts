import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { outboxDir } from '#lib/app/create-app.ts';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { deliverJob } from '#lib/delivery/deliver.ts';
import { previewDigest } from '#lib/delivery/preview.ts';
import type { DeliveryJob } from '#lib/jobs/messages.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';

/** Parses "24h", "7d", "90m" into milliseconds. */
export function parseDuration(text: string, option = '--window'): number {
  const match = /^(\d+)\s*(m|h|d)$/i.exec(text.trim());
  if (!match) throw new UsageError(`${option} must look like 90m, 24h or 7d (got "${text}").`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[
    (match[2] as string).toLowerCase() as 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

/** Refuses an output file whose folder does not exist, before any work is done. */
async function checkOutputFile(file: string): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const isFolder = await stat(folder).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isFolder)
    throw new UsageError(`cannot write ${file}: the folder ${path.dirname(file)} does not exist.`);
}

/** `cipherwatch digest preview|send EMAIL`: what a subscriber would receive now, or send it now. */
export function registerDigestCommand(program: Command): void {
  const digest = program.command('digest').description('preview a digest, or send one now');
  withDataDirOption(
    digest
      .command('preview')
      .description('render what a subscriber would receive now, without sending or recording it')
      .argument('<email>')
      .option('--window <duration>', 'how far back to look, e.g. 24h or 7d', '24h')
      .option('--html <file>', 'also write the HTML part to this file'),
  ).action(async (email: string, options: { dataDir?: string; window: string; html?: string }) => {
    const windowMs = parseDuration(options.window);
    if (options.html) await checkOutputFile(options.html);
    const rendered = await withLocalData(options, async (context) => {
      const subscriber = await context.subscribers.get(subscriberIdFor(email));
      if (!subscriber) throw new UsageError(`${email} is not subscribed (see cipherwatch subscribers list).`);
      // A preview never sends or records: it reads the ledger and composes.
      return previewDigest(subscriber, windowMs, context.delivery);
    });
    if (!rendered) {
      process.stdout.write(
        `Nothing to send to ${email} for the last ${options.window}: no new stories on their topics.\n`,
      );
      return;
    }
    process.stdout.write(`Subject: ${rendered.subject}\n\n${rendered.text}\n`);
    if (options.html) {
      await writeFile(options.html, rendered.html);
      process.stdout.write(`\nHTML part written to ${options.html}\n`);
    }
  });

  withDataDirOption(
    digest
      .command('send')
      .description('send a subscriber a digest of the window ending now, recorded like any other')
      .argument('<email>')
      .option('--window <duration>', 'how far back to look, e.g. 24h or 7d', '24h'),
  ).action(async (email: string, options: { dataDir?: string; window: string }) => {
    const windowMs = parseDuration(options.window);
    const { outcome, where } = await withLocalData(options, async (context) => {
      const subscriber = await context.subscribers.get(subscriberIdFor(email));
      if (!subscriber) throw new UsageError(`${email} is not subscribed (see cipherwatch subscribers list).`);
      const now = new Date();
      const start = new Date(now.getTime() - windowMs).toISOString();
      const job: DeliveryJob = {
        kind: 'digest',
        subscriberId: subscriber.id,
        window: { start, end: now.toISOString(), key: `manual:${start}/${now.toISOString()}` },
      };
      // The same claim, send and ledger as a scheduled digest, so none of these stories is sent twice.
      const outcome = await deliverJob(job, context.delivery);
      const { config } = context;
      const where =
        config.mail.transport === 'outbox' ? `the outbox ${outboxDir(config)}` : config.mail.transport;
      return { outcome, where };
    });
    if (outcome.status === 'sent') {
      process.stdout.write(
        `Sent ${email} a digest of ${outcome.stories} ${outcome.stories === 1 ? 'story' : 'stories'} via ${where}` +
          `${outcome.location ? ` (${outcome.location})` : ''}.\n`,
      );
    } else if (outcome.status === 'empty') {
      process.stdout.write(
        `Nothing to send to ${email} for the last ${options.window}: no stories on their topics they have not had.\n`,
      );
    } else {
      throw new UsageError(`Not sent to ${email}: ${outcome.reason ?? outcome.status}.`);
    }
  });
}
