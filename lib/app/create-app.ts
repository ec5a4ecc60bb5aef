import path from 'node:path';
import type { Config } from '#lib/config.ts';
import { createMailer, type MailerConfig } from '#lib/mail/transport.ts';
import { type App, type AppOverrides, createCoreApp } from './core-app.ts';

export type { App, AppOverrides } from './core-app.ts';

/** The app with the configured mail transport (SES, SMTP or the outbox): for everything that may send. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
  return createCoreApp(config, {
    ...overrides,
    mailer:
      overrides.mailer ??
      createMailer(mailerConfig(config), { from: config.mail.from, replyTo: config.mail.replyTo }),
  });
}

/** Where mail goes: SES in Lambda, SMTP when SMTP_URL is set, else the data folder's outbox. */
export function mailerConfig(config: Config): MailerConfig {
  switch (config.mail.transport) {
    case 'ses':
      return { kind: 'ses', region: config.aws.region };
    case 'smtp':
      return { kind: 'smtp', url: config.mail.smtpUrl as string };
    case 'outbox':
      return { kind: 'outbox', dir: outboxDir(config) };
  }
}

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, 'outbox');
}
