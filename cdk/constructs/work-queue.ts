import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueueName, type QueueDefinition } from '#lib/aws/resources.ts';

/** How long an unprocessed message waits in a work queue before SQS drops it. */
export const SOURCE_RETENTION = Duration.days(4);

/**
 * A work queue and its dead-letter queue from the shared definition: encrypted (SSE-SQS), TLS only,
 * redrive after the definition's receive count, and dead letters kept longer than live messages so an
 * operator always has time to look.
 */
export class WorkQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(
    scope: Construct,
    id: string,
    readonly definition: QueueDefinition,
  ) {
    super(scope, id);
    const deadLetterRetention = Duration.seconds(definition.deadLetterRetentionSeconds);
    if (deadLetterRetention.toSeconds() <= SOURCE_RETENTION.toSeconds()) {
      throw new Error(
        `${deadLetterQueueName(definition)} keeps messages ${deadLetterRetention.toHumanString()}; ` +
          `it must keep them longer than ${definition.name} (${SOURCE_RETENTION.toHumanString()}).`,
      );
    }
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This is the dead-letter queue; a dead-letter queue of its own would only move the messages an ' +
        'operator must read further out of sight. An alarm fires when anything arrives here.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: SOURCE_RETENTION,
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    });
  }
}
