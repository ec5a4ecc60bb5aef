import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getAppContext } from '../lib/app/context.ts';
import { feedbackFromSesEvent, sesEventBridgeSchema } from '../lib/mail/ses-feedback.ts';
import { parseMessage } from '../lib/queue/messages.ts';
import { processRecords } from '../lib/queue/partial-batch.ts';
import { applyDeliveryFeedback, type FeedbackOutcome } from '../lib/subscriptions/suppression.ts';
import { subscriberIdFor } from '../lib/subscriptions/validate.ts';

/** SQS ses-events (SES -> EventBridge -> queue): bounces and complaints mark their subscribers suppressed. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return (await applySesEvents(event)).response;
}

/** The handler's work, with each recipient's outcome. */
export async function applySesEvents(
  event: SQSEvent,
): Promise<{ response: SQSBatchResponse; outcomes: FeedbackOutcome[][] }> {
  const { subscribers, log } = getAppContext();
  const { response, results } = await processRecords(
    event,
    async (record) => {
      const sesEvent = parseMessage(sesEventBridgeSchema, record.messageId, record.body);
      const outcomes: FeedbackOutcome[] = [];
      for (const feedback of feedbackFromSesEvent(sesEvent)) {
        const outcome = await applyDeliveryFeedback(feedback, subscribers, subscriberIdFor);
        log.info('SES feedback applied', {
          kind: feedback.kind,
          feedbackId: feedback.feedbackId,
          ...outcome,
        });
        outcomes.push(outcome);
      }
      return outcomes;
    },
    log,
  );
  return { response, outcomes: results };
}
