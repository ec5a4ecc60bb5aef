import * as z from 'zod';
import type { DeliveryFeedback } from './suppression.ts';

const recipient = z.object({ emailAddress: z.string().min(3).max(320) });

/** The SES event record (configuration-set event publishing) for the two kinds we act on. */
const sesEventSchema = z.discriminatedUnion('eventType', [
  z.object({
    eventType: z.literal('Bounce'),
    bounce: z.object({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.string().default('General'),
      bouncedRecipients: z.array(recipient).min(1),
      timestamp: z.iso.datetime({ offset: true }),
      feedbackId: z.string().min(1),
    }),
  }),
  z.object({
    eventType: z.literal('Complaint'),
    complaint: z.object({
      complainedRecipients: z.array(recipient).min(1),
      timestamp: z.iso.datetime({ offset: true }),
      feedbackId: z.string().min(1),
      complaintFeedbackType: z.string().optional(),
    }),
  }),
]);

/**
 * An SES event as EventBridge delivers it (the configuration set's event destination is the default
 * bus, and a rule forwards bounces and complaints to the ses-events queue).
 */
export const sesEventBridgeSchema = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  detail: sesEventSchema,
});
export type SesEventBridgeEvent = z.infer<typeof sesEventBridgeSchema>;

/**
 * One feedback per recipient. A permanent bounce is hard; a transient one is soft, and so is an
 * undetermined one, since SES could not tell and suppressing on one such report would be harsh.
 */
export function feedbackFromSesEvent(event: SesEventBridgeEvent): DeliveryFeedback[] {
  const { detail } = event;
  if (detail.eventType === 'Complaint') {
    const { complaint } = detail;
    return complaint.complainedRecipients.map((r) => ({
      kind: 'complaint',
      email: r.emailAddress,
      feedbackId: complaint.feedbackId,
      at: new Date(complaint.timestamp).toISOString(),
      detail: complaint.complaintFeedbackType ?? 'reported by the recipient',
    }));
  }
  const { bounce } = detail;
  return bounce.bouncedRecipients.map((r) => ({
    kind: bounce.bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce',
    email: r.emailAddress,
    feedbackId: bounce.feedbackId,
    at: new Date(bounce.timestamp).toISOString(),
    detail: `${bounce.bounceType}/${bounce.bounceSubType}`,
  }));
}
