import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { QUEUES, type QueueId, TABLES, type TableId } from '#lib/aws/resources.ts';
import { createDataTable } from '../constructs/data-table.ts';
import { MailIdentity } from '../constructs/mail-identity.ts';
import { WorkQueue } from '../constructs/work-queue.ts';
import type { DeploySettings } from '../settings.ts';

/** What the data stack hands the pipeline and web stacks. */
export interface DataResources {
  tables: Readonly<Record<TableId, Table>>;
  queues: Readonly<Record<QueueId, WorkQueue>>;
  /** The topic every alarm notifies; the operator subscribes by email. */
  alarmTopic: Topic;
  mail: MailIdentity;
  /** The key that signs unsubscribe and manage links. */
  tokenSecret: Secret;
}

export interface DataStackProps extends StackProps {
  settings: DeploySettings;
}

/**
 * The stateful part: every table and queue in lib/aws/resources.ts (a table added there appears here),
 * the link-signing secret, the SES identity and the alarm topic. Tables and the secret are kept when the
 * stack is destroyed; they hold subscribers, and links already in inboxes must keep working.
 */
export class DataStack extends Stack implements DataResources {
  readonly tables: Readonly<Record<TableId, Table>>;
  readonly queues: Readonly<Record<QueueId, WorkQueue>>;
  readonly alarmTopic: Topic;
  readonly mail: MailIdentity;
  readonly tokenSecret: Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.tables = mapRecord(TABLES, (definition) => createDataTable(this, definition));
    this.queues = mapRecord(
      QUEUES,
      (definition) =>
        new WorkQueue(this, `${definition.id[0]?.toUpperCase()}${definition.id.slice(1)}`, definition),
    );

    this.tokenSecret = new Secret(this, 'TokenSecret', {
      description: 'Cipherwatch: signs the unsubscribe and manage links in emails.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.tokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs the one-click unsubscribe links in emails already delivered; rotating it would break ' +
        'every one of them (RFC 8058 asks that they keep working). Replace it by hand after a suspected leak.',
    });

    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'Cipherwatch alarms',
      enforceSSL: true,
    });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and metric values only, no personal data. CloudWatch cannot ' +
        'publish to a topic under the AWS-managed SNS key, and a customer key would protect nothing here.',
    });
    if (settings.alarmEmail) {
      const subscription = new Subscription(this, 'AlarmEmail', {
        topic: this.alarmTopic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: settings.alarmEmail,
      });
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An email subscription: SNS retries delivery itself, and every alarm stays visible in CloudWatch ' +
          'whatever happens to the email, so a dead-letter queue would hold copies nobody reads.',
      });
    }

    this.mail = new MailIdentity(this, 'Mail', {
      senderEmail: settings.senderEmail,
      senderDomain: settings.senderDomain,
      feedbackQueue: this.queues.sesEvents,
    });

    new CfnOutput(this, 'TokenSecretArn', { value: this.tokenSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}

function mapRecord<K extends string, V, R>(
  record: Readonly<Record<K, V>>,
  map: (value: V) => R,
): Record<K, R> {
  return Object.fromEntries(Object.entries<V>(record).map(([key, value]) => [key, map(value)])) as Record<
    K,
    R
  >;
}
