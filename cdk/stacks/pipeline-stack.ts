import { type CfnElement, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUES, TABLES } from '#lib/aws/resources.ts';
import { allowIndexQuery, allowSend, allowTable } from '../constructs/access.ts';
import { CipherwatchFunction } from '../constructs/cipherwatch-function.ts';
import { QueueConsumer } from '../constructs/queue-consumer.ts';
import type { DeploySettings } from '../settings.ts';
import type { DataResources } from './data-stack.ts';

export interface PipelineStackProps extends StackProps {
  data: DataResources;
  settings: DeploySettings;
  /** Base of the links in emails (the web stack's API, or a custom domain). */
  publicUrl: string;
}

/** Roughly how many emails one sender invocation sends a second (a batch of 10, sent side by side). */
const EMAILS_PER_SECOND_PER_SENDER = 10;

/**
 * The pipeline: the scheduled functions, the queue consumers, SES feedback handling and the alarms.
 * Each function gets only the tables, indexes, queues and actions its code uses.
 */
export class PipelineStack extends Stack {
  readonly functions: Record<
    'schedulePolls' | 'pollFeeds' | 'scheduleDigests' | 'sendDigests' | 'sesEvents',
    CipherwatchFunction
  >;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { data, settings } = props;
    const { feeds, stories, subscribers, deliveries } = data.tables;
    const alarmAction = new SnsAction(data.alarmTopic);
    const logRetention = settings.logRetentionDays as RetentionDays;
    const tableEnv = (...ids: (keyof typeof TABLES)[]) =>
      Object.fromEntries(ids.map((tableId) => [TABLES[tableId].envVar, data.tables[tableId].tableName]));
    const queueEnv = (...ids: (keyof typeof QUEUES)[]) =>
      Object.fromEntries(ids.map((queueId) => [QUEUES[queueId].envVar, data.queues[queueId].queue.queueUrl]));
    const common = { logRetention, alarmAction };
    const scheduleFailures = this.scheduleDeadLetters(alarmAction);
    const scheduled = { kind: 'schedule', deadLetterQueue: scheduleFailures } as const;
    const queued = { kind: 'queue' } as const;

    const schedulePolls = new CipherwatchFunction(this, 'SchedulePolls', {
      ...common,
      handlerFile: 'schedule-polls',
      invokedBy: scheduled,
      description: 'Queues one poll job per due feed.',
      timeout: Duration.seconds(60),
      environment: {
        ...tableEnv('feeds'),
        ...queueEnv('pollFeeds'),
        CIPHERWATCH_POLL_INTERVAL_MINUTES: String(settings.pollEveryMinutes),
      },
    });
    allowIndexQuery(schedulePolls, feeds, 'byNextPoll');
    allowTable(schedulePolls, feeds, ['UpdateItem']);
    allowSend(schedulePolls, data.queues.pollFeeds.queue);

    const pollFeeds = new CipherwatchFunction(this, 'PollFeeds', {
      ...common,
      handlerFile: 'poll-feeds',
      invokedBy: queued,
      description: 'Fetches, parses, classifies and stores each queued feed; queues instant alerts.',
      memorySize: 1024,
      timeout: Duration.seconds(QUEUES.pollFeeds.consumerTimeoutSeconds),
      environment: {
        ...tableEnv('feeds', 'stories', 'subscribers'),
        ...queueEnv('digests'),
        CIPHERWATCH_POLL_INTERVAL_MINUTES: String(settings.pollEveryMinutes),
      },
    });
    allowTable(pollFeeds, feeds, ['GetItem', 'UpdateItem']);
    allowTable(pollFeeds, stories, ['BatchGetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem']);
    // Instant alerts need who wants which topics, never an address: ids and topics of the index only.
    allowIndexQuery(pollFeeds, subscribers, 'byNextDigest', ['id', 'topics', 'scheduleBucket', 'digestSlot']);
    allowSend(pollFeeds, data.queues.digests.queue);

    const scheduleDigests = new CipherwatchFunction(this, 'ScheduleDigests', {
      ...common,
      handlerFile: 'schedule-digests',
      invokedBy: scheduled,
      description: 'Queues one digest job per subscriber whose delivery hour has come.',
      // At 100,000 readers, one hour's round queues and reschedules tens of thousands of them.
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: { ...tableEnv('subscribers'), ...queueEnv('digests') },
    });
    allowIndexQuery(scheduleDigests, subscribers, 'byNextDigest');
    allowTable(scheduleDigests, subscribers, ['UpdateItem']);
    allowSend(scheduleDigests, data.queues.digests.queue);

    const sendDigests = new CipherwatchFunction(this, 'SendDigests', {
      ...common,
      handlerFile: 'send-digests',
      invokedBy: queued,
      description: 'Composes, sends and records each queued digest or alert.',
      memorySize: 512,
      timeout: Duration.seconds(QUEUES.digests.consumerTimeoutSeconds),
      environment: {
        ...tableEnv('stories', 'subscribers', 'deliveries'),
        CIPHERWATCH_MAIL_TRANSPORT: 'ses',
        CIPHERWATCH_MAIL_FROM: settings.mailFrom,
        CIPHERWATCH_PUBLIC_URL: props.publicUrl,
        CIPHERWATCH_TOKEN_SECRET_ARN: data.tokenSecret.secretArn,
      },
    });
    // Reads the reader and their delivery records; claims, records or gives back one email's record;
    // moves the reader's schedule on once a digest is recorded.
    allowTable(sendDigests, subscribers, ['GetItem', 'UpdateItem']);
    allowTable(sendDigests, deliveries, ['GetItem', 'Query', 'UpdateItem', 'DeleteItem']);
    allowTable(sendDigests, stories, ['BatchGetItem', 'Query']);
    data.tokenSecret.grantRead(sendDigests.role);
    sendDigests.role.addToPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [data.mail.identity.emailIdentityArn, data.mail.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': settings.senderEmail } },
      }),
    );

    const sesEvents = new CipherwatchFunction(this, 'SesEvents', {
      ...common,
      handlerFile: 'ses-events',
      invokedBy: queued,
      description: 'Marks subscribers suppressed on SES bounces and complaints.',
      timeout: Duration.seconds(QUEUES.sesEvents.consumerTimeoutSeconds),
      environment: tableEnv('subscribers'),
    });
    allowTable(sesEvents, subscribers, ['GetItem', 'UpdateItem']);

    new QueueConsumer(this, 'PollFeedsConsumer', {
      workQueue: data.queues.pollFeeds,
      consumer: pollFeeds,
      // 10,000 feeds every 5 minutes are 2,000 batches of about a second: 20 at a time finish in ~100 s.
      maxConcurrency: 20,
      alarmAction,
    });
    new QueueConsumer(this, 'DigestsConsumer', {
      workQueue: data.queues.digests,
      consumer: sendDigests,
      // Sized to the account's SES send rate, so a big round queues up instead of being throttled.
      maxConcurrency: Math.ceil(settings.sesSendRatePerSecond / EMAILS_PER_SECOND_PER_SENDER),
      alarmAction,
    });
    new QueueConsumer(this, 'SignUpMailsConsumer', {
      workQueue: data.queues.signUpMails,
      consumer: sendDigests,
      // Sign-up mails are few; two senders keep them flowing beside a digest round within the SES rate.
      maxConcurrency: 2,
      alarmAction,
    });
    new QueueConsumer(this, 'SesEventsConsumer', {
      workQueue: data.queues.sesEvents,
      consumer: sesEvents,
      maxConcurrency: 2,
      alarmAction,
    });

    this.schedule(settings, schedulePolls, scheduleDigests, scheduleFailures);
    this.alarms(settings, alarmAction);
    this.functions = { schedulePolls, pollFeeds, scheduleDigests, sendDigests, sesEvents };
  }

  /**
   * Where a scheduled round that could not run ends up: invocations the scheduler could not deliver
   * after its retries, and asynchronous invocations that still failed after Lambda's own retries.
   */
  private scheduleDeadLetters(alarmAction: SnsAction): Queue {
    const failed = new Queue(this, 'ScheduleDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(failed).acknowledge({
        id,
        reason:
          'This queue is itself a dead-letter queue (of the schedules and the scheduled functions); ' +
          'an alarm fires when anything arrives, and a further dead-letter queue would only hide it.',
      });
    }
    new Alarm(this, 'ScheduleFailures', {
      alarmDescription: 'A scheduled poll or digest round could not be started, or failed after its retries.',
      metric: failed.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
    return failed;
  }

  /** EventBridge Scheduler: polls every few minutes, digests hourly; undelivered invocations retried, then dead-lettered. */
  private schedule(
    settings: DeploySettings,
    schedulePolls: CipherwatchFunction,
    scheduleDigests: CipherwatchFunction,
    failed: Queue,
  ): void {
    new Schedule(this, 'PollSchedule', {
      description: 'Queue due feeds for polling.',
      schedule: ScheduleExpression.rate(Duration.minutes(settings.pollEveryMinutes)),
      target: new LambdaInvoke(schedulePolls.function, {
        role: this.schedulerRole('PollScheduleRole', schedulePolls),
        retryAttempts: 2,
        // A late round is pointless once the next one is due.
        maxEventAge: Duration.minutes(Math.max(1, settings.pollEveryMinutes - 1)),
        deadLetterQueue: failed,
      }),
    });
    new Schedule(this, 'DigestSchedule', {
      description: 'Queue the digests that are due.',
      schedule: ScheduleExpression.expression(settings.digestSchedule),
      target: new LambdaInvoke(scheduleDigests.function, {
        role: this.schedulerRole('DigestScheduleRole', scheduleDigests),
        retryAttempts: 3,
        maxEventAge: Duration.minutes(30),
        deadLetterQueue: failed,
      }),
    });
  }

  /** A role EventBridge Scheduler assumes (from this account only) to invoke one function. */
  private schedulerRole(id: string, fn: CipherwatchFunction): Role {
    const role = new Role(this, id, {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    const functionLogicalId = this.getLogicalId(fn.function.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason:
        "CDK's scheduler target grants lambda:InvokeFunction on this one function and its versions " +
        '(`<arn>:*`); no other function or action.',
    });
    return role;
  }

  /** The pipeline-wide alarms: feeds failing in bulk, and SES reputation nearing the account's limits. */
  private alarms(settings: DeploySettings, alarmAction: SnsAction): void {
    const feedsMetric = (metricName: string) =>
      new Metric({
        namespace: 'Cipherwatch',
        metricName,
        dimensionsMap: { service: 'cipherwatch' },
        statistic: 'Sum',
        period: Duration.minutes(15),
      });
    new Alarm(this, 'PollFailureShare', {
      alarmDescription:
        `More than ${Math.round(settings.pollFailureShare * 100)}% of the feeds polled in 15 minutes failed: ` +
        'an outage on our side (network, DNS, a bad deploy) rather than a few broken feeds.',
      metric: new MathExpression({
        expression: 'IF(polled > 0, failed / polled, 0)',
        usingMetrics: { polled: feedsMetric('FeedsPolled'), failed: feedsMetric('FeedsFailed') },
        period: Duration.minutes(15),
        label: 'Share of polled feeds that failed',
      }),
      threshold: settings.pollFailureShare,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);

    // SES reviews an account at a 5% bounce rate or 0.1% complaint rate; warn before either.
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    new Alarm(this, 'BounceRate', {
      alarmDescription: 'The SES bounce rate is near 5%, where SES puts the account under review.',
      metric: reputation('Reputation.BounceRate'),
      threshold: 0.04,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
    new Alarm(this, 'ComplaintRate', {
      alarmDescription: 'The SES complaint rate is near 0.1%, where SES puts the account under review.',
      metric: reputation('Reputation.ComplaintRate'),
      threshold: 0.0008,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(alarmAction);
  }
}
