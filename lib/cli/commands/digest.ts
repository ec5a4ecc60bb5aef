import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { previewDigest } from '#lib/delivery/preview.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';

/** Parses "24h", "7d", "90m" into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(m|h|d)$/i.exec(text.trim());
  if (!match) throw new UsageError(`--window must look like 90m, 24h or 7d (got "${text}").`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[
    (match[2] as string).toLowerCase() as 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

/** `cipherwatch digest preview EMAIL`: what that subscriber would receive now, without sending it. */
export function registerDigestCommand(program: Command): void {
  const digest = program.command('digest').description('preview digests');
  withDataDirOption(
    digest
      .command('preview')
      .description('render what a subscriber would receive now, without sending or recording it')
      .argument('<email>')
      .option('--window <duration>', 'how far back to look, e.g. 24h or 7d', '24h')
      .option('--html <file>', 'also write the HTML part to this file'),
  ).action(async (email: string, options: { dataDir?: string; window: string; html?: string }) => {
    const windowMs = parseDuration(options.window);
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
}
