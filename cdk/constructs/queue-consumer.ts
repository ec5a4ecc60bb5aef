import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { CipherwatchFunction } from './cipherwatch-function.ts';
import type { WorkQueue } from './work-queue.ts';

/** Lambda's rule of thumb: a queue's visibility timeout is at least six times its consumer's timeout. */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

export interface QueueConsumerProps {
  workQueue: WorkQueue;
  consumer: CipherwatchFunction;
  /** Most concurrent invocations the queue may drive (at least 2, Lambda's minimum). */
  maxConcurrency: number;
  alarmAction: IAlarmAction;
}

/**
 * A work queue wired to its consumer the way the local stack plays it: batches of the definition's
 * size, failed records reported one by one, bounded concurrency, and an alarm the moment anything
 * lands in the dead-letter queue.
 */
export class QueueConsumer extends Construct {
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    const { definition, queue, deadLetterQueue } = props.workQueue;
    const timeout = props.consumer.function.timeout?.toSeconds() ?? 3;
    if (definition.visibilityTimeoutSeconds < VISIBILITY_TO_TIMEOUT_RATIO * timeout) {
      throw new Error(
        `${definition.name}: visibility timeout ${definition.visibilityTimeoutSeconds}s must be at least ` +
          `${VISIBILITY_TO_TIMEOUT_RATIO} × its consumer's ${timeout}s timeout (lib/aws/resources.ts).`,
      );
    }
    const eventSource = new SqsEventSource(queue, {
      batchSize: definition.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: Math.max(2, props.maxConcurrency),
    });
    props.consumer.function.addEventSource(eventSource);
    Validations.of(props.consumer.function).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event sources take no on-failure destination: the redrive policy moves a message that failed ' +
        `${definition.maxReceiveCount} times to ${definition.name}-dlq, and the alarm below reports it.`,
    });
    this.deadLetterAlarm = new Alarm(this, 'DeadLetters', {
      alarmDescription:
        `${definition.name}: messages reached the dead-letter queue after ${definition.maxReceiveCount} ` +
        'failed attempts. Read them in the SQS console, fix the cause, then redrive them.',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(props.alarmAction);
  }
}
