import { createHash } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import type { Mailer, MailTransportKind, OutgoingMail, SendResult } from '#lib/delivery/mailer.ts';
import { outboxFileStem, outboxHolds, writeToOutbox } from './outbox.ts';

/** Where mail goes: Amazon SES (v2 API), an SMTP server, or a local outbox folder. */
export type MailerConfig =
  | { kind: 'ses'; region?: string | undefined; client?: SESv2Client | undefined }
  | { kind: 'smtp'; url: string }
  | { kind: 'outbox'; dir: string };

/** The sending identity, from configuration. */
export interface MailSender {
  from: string;
  replyTo?: string | undefined;
}

/** A message could not be handed to the transport. */
export class MailSendError extends Error {
  override name = 'MailSendError';
  constructor(
    readonly transport: MailTransportKind,
    readonly to: string,
    readonly idempotencyKey: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`could not send ${idempotencyKey} to ${to} via ${transport}: ${reason}`, options);
  }
}

/** The mailer configuration is unusable. */
export class MailConfigError extends Error {
  override name = 'MailConfigError';
}

/** The domain of a sender such as `Cipherwatch <digests@example.org>`, lower-cased; undefined if none. */
export function senderDomain(from: string): string | undefined {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim())?.[1]?.toLowerCase();
}

/** A Message-ID derived from the idempotency key, so a resent message is recognisable as the same one. */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<${hash}@${senderDomain(from) ?? 'cipherwatch.invalid'}>`;
}

function checkedSmtpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MailConfigError(
      'SMTP_URL is not a URL (expected smtp://host:port or smtps://user:pass@host:465)',
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new MailConfigError(`SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}//`);
  }
  return url;
}

function buildTransporter(config: MailerConfig): Transporter {
  switch (config.kind) {
    case 'ses': {
      // One SESv2 client per mailer: credentials and connections are reused across sends.
      const sesClient = config.client ?? new SESv2Client(config.region ? { region: config.region } : {});
      return createTransport({ SES: { sesClient, SendEmailCommand } });
    }
    case 'smtp':
      return createTransport(checkedSmtpUrl(config.url));
    case 'outbox':
      return createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }
}

/**
 * Creates a mailer for SES (production), SMTP (when SMTP_URL is set) or the local outbox folder.
 * Every message carries the sender and reply-to from configuration, the rendered list headers and a
 * deterministic Message-ID. Failures surface as MailSendError naming the message.
 */
export function createMailer(config: MailerConfig, sender: MailSender): Mailer {
  if (!sender.from.trim()) throw new MailConfigError('a sender address (from) is required');
  const transporter = buildTransporter(config);

  return {
    kind: config.kind,
    async send(message: OutgoingMail): Promise<SendResult> {
      const messageId = messageIdFor(message.idempotencyKey, sender.from);
      const options: SendMailOptions = {
        from: sender.from,
        to: message.to,
        subject: message.rendered.subject,
        text: message.rendered.text,
        html: message.rendered.html,
        headers: message.rendered.headers,
        messageId,
        ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
      };
      try {
        const info = await transporter.sendMail(options);
        if (config.kind !== 'outbox') return { messageId: info.messageId ?? messageId };
        const eml: unknown = info.message;
        if (!Buffer.isBuffer(eml)) throw new Error('stream transport returned no message buffer');
        const stem = outboxFileStem(message.idempotencyKey, new Date(), message.to);
        const location = await writeToOutbox(config.dir, stem, eml, message.rendered.html);
        return { messageId, location };
      } catch (error) {
        throw new MailSendError(config.kind, message.to, message.idempotencyKey, { cause: error });
      }
    },
    async wasSent(idempotencyKey: string): Promise<boolean | undefined> {
      return config.kind === 'outbox' ? outboxHolds(config.dir, idempotencyKey) : undefined;
    },
    close(): void {
      transporter.close();
    },
  };
}
