import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { App } from '#lib/app/create-app.ts';
import { feedbackFromSesEvent, sesEventBridgeSchema } from '#lib/delivery/ses-feedback.ts';
import { applyDeliveryFeedback, type FeedbackOutcome } from '#lib/delivery/suppression.ts';
import { parseMessage } from '#lib/jobs/messages.ts';
import { processSqsBatch } from './sqs-batch.ts';

/** SQS ses-events (SES → EventBridge → queue): each bounce or complaint applied to its subscriber on its own. */
export function createSesEventsHandler(app: App) {
  const { log } = app;
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) log.addContext?.(context);
    const { response } = await processSqsBatch(event, context, log, async (record) => {
      const sesEvent = parseMessage(sesEventBridgeSchema, record.messageId, record.body);
      const outcomes: FeedbackOutcome[] = [];
      for (const feedback of feedbackFromSesEvent(sesEvent)) {
        const outcome = await applyDeliveryFeedback(feedback, app.subscribers);
        log.info('SES feedback applied', {
          kind: feedback.kind,
          feedbackId: feedback.feedbackId,
          ...outcome,
        });
        outcomes.push(outcome);
      }
      return outcomes;
    });
    return response;
  };
}
