import type { DeliveryJob } from '#lib/jobs/messages.ts';

/** What became of one delivery job: a digest, an alert or a sign-up mail. */
export type DeliveryOutcome = { kind: DeliveryJob['kind']; subscriberId: string; key: string } & (
  | { status: 'sent'; stories: number; messageId: string; location?: string | undefined }
  | { status: 'empty' | 'already-sent' | 'skipped'; reason?: string }
);
