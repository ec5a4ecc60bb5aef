import { beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, TABLES } from '#lib/aws/resources.ts';
import { SES_FEEDBACK_DETAIL_TYPES } from '../../cdk/constructs/mail-identity.ts';
import { VISIBILITY_TO_TIMEOUT_RATIO } from '../../cdk/constructs/queue-consumer.ts';
import { synthCipherwatch } from './synth.ts';
import { DeploymentReader } from './template-reader.ts';

let reader: DeploymentReader;
let templates: Record<'data' | 'pipeline' | 'web', ReturnType<typeof synthCipherwatch>['data']>;

beforeAll(() => {
  // Synthesizing runs the cdk-nag packs too: an unacknowledged finding throws here.
  const { data, pipeline, web } = synthCipherwatch();
  reader = new DeploymentReader(data, pipeline);
  templates = { data, pipeline, web };
});

const props = (resource: { Properties?: Record<string, unknown> }) => resource.Properties ?? {};

describe('data stack', () => {
  it('has one table per definition in lib/aws/resources.ts, kept, encrypted, with point-in-time recovery', () => {
    const tables = reader.resources(reader.data, 'AWS::DynamoDB::Table');

    expect(tables).toHaveLength(Object.keys(TABLES).length);
    for (const [, table] of tables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(props(table)).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
  });

  it('gives each table the keys, indexes and TTL of its definition', () => {
    for (const definition of Object.values(TABLES)) {
      const [, table] =
        reader
          .resources(reader.data, 'AWS::DynamoDB::Table')
          .find(([id]) => id.toLowerCase().startsWith(`${definition.id}table`)) ?? [];

      expect(table, definition.id).toBeDefined();
      const p = props(table ?? { Type: '' });
      expect(p.KeySchema).toEqual([
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      expect(((p.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map((i) => i.IndexName)).toEqual(
        definition.globalIndexes.map((i) => i.name),
      );
      expect(p.TimeToLiveSpecification).toEqual(
        definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
      );
    }
  });

  it('gives every queue an encrypted dead-letter queue that keeps messages longer than the queue', () => {
    const queues = reader.resources(reader.data, 'AWS::SQS::Queue');
    const work = queues.filter(([, q]) => props(q).RedrivePolicy);

    expect(work).toHaveLength(Object.keys(QUEUES).length);
    for (const [id, queue] of work) {
      const redrive = props(queue).RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string] } };
      const dlq = reader.data.Resources[redrive.deadLetterTargetArn['Fn::GetAtt'][0]];
      expect(dlq, id).toBeDefined();
      expect(Number(props(dlq ?? { Type: '' }).MessageRetentionPeriod)).toBeGreaterThan(
        Number(props(queue).MessageRetentionPeriod),
      );
    }
    for (const [, queue] of queues) expect(props(queue).SqsManagedSseEnabled).toBe(true);
  });

  it('refuses any queue request that is not over TLS', () => {
    const policies = reader.resources(reader.data, 'AWS::SQS::QueuePolicy');
    const guarded = policies
      .filter(([, p]) => JSON.stringify(props(p).PolicyDocument).includes('"aws:SecureTransport":"false"'))
      .flatMap(([, p]) => (props(p).Queues as { Ref: string }[]).map((q) => q.Ref));

    for (const [id] of reader.resources(reader.data, 'AWS::SQS::Queue')) expect(guarded).toContain(id);
  });
});

describe('queue consumers', () => {
  const mappings = () =>
    reader.resources(reader.pipeline, 'AWS::Lambda::EventSourceMapping').map(([, m]) => {
      const queueLabel = reader.label(props(m).EventSourceArn);
      const queueId = queueLabel.replace(/^queue:/, '');
      const functionId = (props(m).FunctionName as { Ref: string }).Ref;
      return { mapping: props(m), queueId, fn: props(reader.pipeline.Resources[functionId] ?? { Type: '' }) };
    });

  it('has one consumer per queue, reporting batch item failures, with the definition batch size', () => {
    const found = mappings();

    expect(found.map((m) => m.queueId).sort()).toEqual(Object.keys(QUEUES).sort());
    for (const { mapping, queueId } of found) {
      const definition = QUEUES[queueId as keyof typeof QUEUES];
      expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(mapping.BatchSize).toBe(definition.batchSize);
      expect(
        (mapping.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it("keeps each queue's visibility timeout at least six times its consumer's timeout", () => {
    for (const { queueId, fn } of mappings()) {
      const [, queue] =
        reader
          .resources(reader.data, 'AWS::SQS::Queue')
          .find(([id]) => reader.label({ Ref: id }) === `queue:${queueId}`) ?? [];
      expect(queue, queueId).toBeDefined();
      const visibility = Number(props(queue ?? { Type: '' }).VisibilityTimeout);
      expect(visibility).toBeGreaterThanOrEqual(VISIBILITY_TO_TIMEOUT_RATIO * Number(fn.Timeout));
    }
  });

  it('sizes the digest sender to the SES send rate', () => {
    const digests = mappings().find((m) => m.queueId === 'digests');

    expect(digests?.mapping.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
  });
});

describe('functions', () => {
  const functions = () => reader.resources(reader.pipeline, 'AWS::Lambda::Function');

  it('run on arm64 and the newest Node LTS, traced, with source maps and their config folder', () => {
    expect(functions()).toHaveLength(5);
    for (const [id, fn] of functions()) {
      expect(props(fn), id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps',
            CIPHERWATCH_CONFIG_DIR: '/var/task/config',
          }),
        },
      });
      expect(props(fn).MemorySize).toBeGreaterThanOrEqual(256);
      expect(props(fn).Timeout).toBeGreaterThan(0);
    }
  });

  it('log to their own log group with a retention period', () => {
    const groups = reader.resources(reader.pipeline, 'AWS::Logs::LogGroup');

    expect(groups).toHaveLength(functions().length);
    for (const [, group] of groups) expect(props(group).RetentionInDays).toBe(30);
    for (const [, fn] of functions()) {
      const target = (props(fn).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(reader.pipeline.Resources[target]?.Type).toBe('AWS::Logs::LogGroup');
    }
  });

  it('each have an error alarm that notifies the alarm topic', () => {
    const alarms = reader.resources(reader.pipeline, 'AWS::CloudWatch::Alarm');
    for (const [id] of functions()) {
      const alarm = alarms.find(
        ([, a]) =>
          props(a).MetricName === 'Errors' && JSON.stringify(props(a).Dimensions).includes(`"${id}"`),
      );
      expect(alarm, id).toBeDefined();
      expect(JSON.stringify(reader.resolve(props(alarm?.[1] ?? { Type: '' }).AlarmActions))).toContain(
        'Alarms',
      );
    }
  });
});

describe('least privilege', () => {
  const xray = ['xray:PutTelemetryRecords on *', 'xray:PutTraceSegments on *'];
  const logs = ['logs:CreateLogStream on own-log-group', 'logs:PutLogEvents on own-log-group'];
  const consume = (queue: string) =>
    [
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ].map((action) => `${action} on queue:${queue}`);
  const expectExactly = (fn: string, permissions: string[]) =>
    expect(reader.permissionsOf(fn)).toEqual([...permissions, ...xray, ...logs].sort());

  it('schedule-polls reads due feeds, defers them and queues polls', () => {
    expectExactly('SchedulePolls', [
      'dynamodb:Query on index:feeds/byNextPoll',
      'dynamodb:UpdateItem on table:feeds',
      'sqs:SendMessage on queue:pollFeeds',
      'sqs:SendMessage on dlq:schedules',
    ]);
  });

  it('poll-feeds writes feeds and stories, sees only ids and topics of subscribers, queues alerts', () => {
    expectExactly('PollFeeds', [
      'dynamodb:GetItem on table:feeds',
      'dynamodb:UpdateItem on table:feeds',
      'dynamodb:BatchGetItem on table:stories',
      'dynamodb:BatchWriteItem on table:stories',
      'dynamodb:PutItem on table:stories',
      'dynamodb:UpdateItem on table:stories',
      'dynamodb:Query on index:subscribers/byNextDigest (conditional)',
      'sqs:SendMessage on queue:digests',
      ...consume('pollFeeds'),
    ]);
    const statement = reader
      .resources(reader.pipeline, 'AWS::IAM::Policy')
      .flatMap(([, p]) =>
        (props(p).PolicyDocument as { Statement: { Condition?: unknown }[] }).Statement.filter(
          (s) => s.Condition,
        ),
      );
    expect(statement).toContainEqual(
      expect.objectContaining({
        Condition: {
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['id', 'topics', 'scheduleBucket', 'digestSlot'],
          },
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
    );
  });

  it('schedule-digests reads due subscribers, moves their schedule and queues digests', () => {
    expectExactly('ScheduleDigests', [
      'dynamodb:Query on index:subscribers/byNextDigest',
      'dynamodb:UpdateItem on table:subscribers',
      'sqs:SendMessage on queue:digests',
      'sqs:SendMessage on dlq:schedules',
    ]);
  });

  it('send-digests reads stories, reads and reschedules readers, records deliveries, reads the token key, sends email', () => {
    expectExactly('SendDigests', [
      'dynamodb:BatchGetItem on table:stories',
      'dynamodb:Query on table:stories',
      'dynamodb:GetItem on table:subscribers',
      'dynamodb:UpdateItem on table:subscribers',
      'dynamodb:GetItem on table:deliveries',
      'dynamodb:Query on table:deliveries',
      'dynamodb:UpdateItem on table:deliveries',
      'dynamodb:DeleteItem on table:deliveries',
      'secretsmanager:DescribeSecret on secret:token',
      'secretsmanager:GetSecretValue on secret:token',
      'ses:SendEmail on ses:identity (conditional)',
      'ses:SendEmail on ses:configuration-set (conditional)',
      'ses:SendRawEmail on ses:identity (conditional)',
      'ses:SendRawEmail on ses:configuration-set (conditional)',
      ...consume('digests'),
      ...consume('signUpMails'),
    ]);
  });

  it('ses-events reads and updates subscribers, nothing else', () => {
    expectExactly('SesEvents', [
      'dynamodb:GetItem on table:subscribers',
      'dynamodb:UpdateItem on table:subscribers',
      ...consume('sesEvents'),
    ]);
  });

  it('lets only the digest sender call SES, in every stack', () => {
    const senders = Object.entries(templates).flatMap(([stack, template]) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([, p]) => JSON.stringify(props(p).PolicyDocument).includes('"ses:'))
        .map(([id]) => `${stack}/${id}`),
    );

    expect(senders).toHaveLength(1);
    expect(senders[0]).toMatch(/^pipeline\/SendDigests/);
  });
});

describe('schedules, alarms and email feedback', () => {
  it('polls every 5 minutes and checks digests hourly, each with retries and a dead-letter queue', () => {
    const schedules = reader.resources(reader.pipeline, 'AWS::Scheduler::Schedule').map(([, s]) => props(s));

    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual([
      'cron(5 * * * ? *)',
      'rate(5 minutes)',
    ]);
    for (const schedule of schedules) {
      expect(schedule.Target).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
        DeadLetterConfig: { Arn: expect.anything() },
      });
    }
  });

  it('raises an alarm when any dead-letter queue holds a message', () => {
    const alarmedQueues = reader
      .resources(reader.pipeline, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => props(a).MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([, a]) => reader.label((props(a).Dimensions as { Value: unknown }[])[0]?.Value));

    expect(alarmedQueues.sort()).toEqual(
      [...Object.keys(QUEUES).map((id) => `dlq:${id}`), 'dlq:schedules'].sort(),
    );
  });

  it('alarms on the share of failed feeds, and on SES bounce and complaint rates', () => {
    const alarms = reader.resources(reader.pipeline, 'AWS::CloudWatch::Alarm').map(([, a]) => props(a));

    expect(JSON.stringify(alarms)).toContain('"MetricName":"FeedsFailed","Namespace":"Cipherwatch"');
    expect(alarms.map((a) => a.MetricName)).toEqual(
      expect.arrayContaining(['Reputation.BounceRate', 'Reputation.ComplaintRate']),
    );
  });

  it('sends alarms to the operator by email', () => {
    const subscriptions = reader.resources(reader.data, 'AWS::SNS::Subscription').map(([, s]) => props(s));

    expect(subscriptions).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@news.example.org' }),
    ]);
  });

  it('publishes SES bounces and complaints to EventBridge, and a rule feeds them to the ses-events consumer', () => {
    const [, destination] =
      reader.resources(reader.data, 'AWS::SES::ConfigurationSetEventDestination')[0] ?? [];
    const rule = reader.resources(reader.data, 'AWS::Events::Rule').map(([, r]) => props(r))[0];
    const [, identity] = reader.resources(reader.data, 'AWS::SES::EmailIdentity')[0] ?? [];

    expect(props(destination ?? { Type: '' }).EventDestination).toMatchObject({
      Enabled: true,
      MatchingEventTypes: ['bounce', 'complaint'],
      EventBridgeDestination: expect.anything(),
    });
    expect(rule?.EventPattern).toMatchObject({
      source: ['aws.ses'],
      'detail-type': SES_FEEDBACK_DETAIL_TYPES,
    });
    expect(reader.label(((rule?.Targets ?? []) as { Arn: unknown }[])[0]?.Arn)).toBe('queue:sesEvents');
    expect(props(identity ?? { Type: '' })).toMatchObject({ EmailIdentity: 'digests@news.example.org' });
    expect(JSON.stringify(props(identity ?? { Type: '' }).ConfigurationSetAttributes)).toContain(
      'ConfigurationSet',
    );
  });

  it('generates the link-signing key in Secrets Manager and hands the sender only its ARN', () => {
    const [secretId, secret] = reader.resources(reader.data, 'AWS::SecretsManager::Secret')[0] ?? [];
    const sender = reader
      .resources(reader.pipeline, 'AWS::Lambda::Function')
      .find(([id]) => id.startsWith('SendDigests'))?.[1];
    const variables = (props(sender ?? { Type: '' }).Environment as { Variables: Record<string, unknown> })
      .Variables;

    expect(secret?.DeletionPolicy).toBe('Retain');
    expect(props(secret ?? { Type: '' }).GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(JSON.stringify(reader.resolve(variables.CIPHERWATCH_TOKEN_SECRET_ARN))).toContain(`"${secretId}"`);
    expect(variables.CIPHERWATCH_TOKEN_SECRET).toBeUndefined();
  });
});
