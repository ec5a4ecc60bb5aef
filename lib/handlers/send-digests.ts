import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { App } from '#lib/app/create-app.ts';
import { type DeliveryOutcome, deliverJob } from '#lib/delivery/deliver.ts';
import { deliveryJobSchema, parseMessage } from '#lib/jobs/messages.ts';
import type { OutcomeObserver } from './poll-feeds.ts';
import { processSqsBatch } from './sqs-batch.ts';

const WHAT: Record<DeliveryOutcome['kind'], string> = {
  digest: 'Digest',
  alert: 'Alert',
  'sign-up-mail': 'Sign-up mail',
};

/** SQS digests: compose, send and record each digest, alert or sign-up mail on its own. */
export function createSendDigestsHandler(app: App, observe?: OutcomeObserver<DeliveryOutcome>) {
  const { log, metrics } = app;
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) log.addContext?.(context);
    const { response, outcomes } = await processSqsBatch(event, context, log, async (record) => {
      const job = parseMessage(deliveryJobSchema, record.messageId, record.body);
      const outcome = await deliverJob(job, app.delivery);
      log.info(`${WHAT[outcome.kind]} ${outcome.status === 'sent' ? 'sent' : 'not sent'}`, { ...outcome });
      return outcome;
    });
    const sent = outcomes.filter((outcome) => outcome.status === 'sent');
    const sentOf = (kind: DeliveryOutcome['kind']) => sent.filter((outcome) => outcome.kind === kind).length;
    metrics.count('DigestsSent', sentOf('digest'));
    metrics.count('AlertsSent', sentOf('alert'));
    metrics.count('SignUpMailsSent', sentOf('sign-up-mail'));
    metrics.count('DeliveriesFailed', response.batchItemFailures.length);
    metrics.flush();
    observe?.(outcomes);
    return response;
  };
}
