import type { RenderedEmail } from '#lib/digest/render.ts';

/** How mail leaves; `none` for functions that send no mail. */
export type MailTransportKind = 'ses' | 'smtp' | 'outbox' | 'none';

/** One email to send; the idempotency key (e.g. subscriber + window) fixes its Message-ID. */
export interface OutgoingMail {
  to: string;
  rendered: RenderedEmail;
  idempotencyKey: string;
}

/** What a transport reports back: the Message-ID and, for the outbox, the .eml path. */
export interface SendResult {
  messageId: string;
  location?: string | undefined;
}

/** Sends rendered emails through one configured transport (`lib/mail/` implements it). */
export interface Mailer {
  readonly kind: MailTransportKind;
  send(message: OutgoingMail): Promise<SendResult>;
  /**
   * Whether a message with this idempotency key went out: true or false when the transport can tell
   * (the outbox keeps every message), undefined when it cannot (SES and SMTP keep no such record).
   */
  wasSent?(idempotencyKey: string): Promise<boolean | undefined>;
  /** Closes pooled connections, if any. */
  close(): void;
}
