import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { QUEUES, TABLES, type TableId } from '#lib/aws/resources.ts';
import { allowIndexQuery, allowSend, allowTable, type TableAction } from '../constructs/access.ts';
import { CipherwatchFunction } from '../constructs/cipherwatch-function.ts';
import type { DeploySettings } from '../settings.ts';
import type { DataResources } from './data-stack.ts';

/** What the web function may do to each table (and which indexes it queries). */
export type WebTableAccess = Partial<Record<TableId, { actions: TableAction[]; indexes?: string[] }>>;

/**
 * The web app's table access as its repositories use it: sign-up, confirm, manage, erase and
 * unsubscribe (subscribers, deliveries), the story archive (stories), and the admin API (feeds,
 * subscribers, and queueing due digests through the schedule index).
 */
export const WEB_TABLE_ACCESS: WebTableAccess = {
  subscribers: {
    actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'],
    indexes: ['byNextDigest'],
  },
  stories: { actions: ['GetItem', 'BatchGetItem', 'Query'] },
  feeds: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'] },
  // A reader's delivery records: listed on their page (a query of their partition), deleted on erasure.
  deliveries: { actions: ['Query', 'BatchWriteItem'] },
  // Sign-up limits per address and per client: counted, read, and cleared on erasure.
  limits: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  // Readers' "not relevant?" answers: recorded, listed for their owner, deleted on erasure.
  feedback: { actions: ['PutItem', 'Query', 'BatchWriteItem'] },
};

export interface WebStackProps extends StackProps {
  data: DataResources;
  settings: DeploySettings;
  /** @default WEB_TABLE_ACCESS */
  tableAccess?: WebTableAccess;
}

/**
 * The web app behind an API Gateway HTTP API: one function serves the pages, the public API and the
 * admin API (Hono). Throttled at the stage, access-logged, and allowed only the tables it reads and
 * writes, the three work queues it feeds (the admin API queues rounds; sign-up mails go on a queue of
 * their own for the digest sender) and the token key. It sends no mail, so it may not call SES.
 */
export class WebStack extends Stack {
  readonly api: HttpApi;
  readonly function: CipherwatchFunction;
  /** The public base URL (the HTTP API's, or `-c publicUrl=…` for a custom domain). */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { data, settings } = props;
    const alarmAction = new SnsAction(data.alarmTopic);
    const access = props.tableAccess ?? WEB_TABLE_ACCESS;
    const tables = Object.keys(access) as TableId[];

    this.api = new HttpApi(this, 'Api', {
      description: 'Cipherwatch: web pages, public API and admin API.',
      createDefaultStage: false,
    });
    this.publicUrl = settings.publicUrl ?? this.api.apiEndpoint;

    this.function = new CipherwatchFunction(this, 'Web', {
      handlerFile: 'web',
      description: 'Serves the web pages, the public API and the admin API.',
      invokedBy: { kind: 'http' },
      memorySize: 512,
      timeout: Duration.seconds(15),
      logRetention: settings.logRetentionDays as RetentionDays,
      alarmAction,
      environment: {
        ...Object.fromEntries(
          tables.map((tableId) => [TABLES[tableId].envVar, data.tables[tableId].tableName]),
        ),
        [QUEUES.pollFeeds.envVar]: data.queues.pollFeeds.queue.queueUrl,
        [QUEUES.digests.envVar]: data.queues.digests.queue.queueUrl,
        [QUEUES.signUpMails.envVar]: data.queues.signUpMails.queue.queueUrl,
        CIPHERWATCH_PUBLIC_URL: this.publicUrl,
        CIPHERWATCH_TOKEN_SECRET_ARN: data.tokenSecret.secretArn,
        ...(settings.adminApiKeyHash && { CIPHERWATCH_ADMIN_API_KEY_HASH: settings.adminApiKeyHash }),
      },
    });
    for (const tableId of tables) {
      const grant = access[tableId];
      if (!grant) continue;
      allowTable(this.function, data.tables[tableId], grant.actions);
      for (const index of grant.indexes ?? []) allowIndexQuery(this.function, data.tables[tableId], index);
    }
    allowSend(this.function, data.queues.pollFeeds.queue);
    // Digest rounds from the admin API, and every sign-up mail (sent by the digest sender).
    allowSend(this.function, data.queues.digests.queue);
    allowSend(this.function, data.queues.signUpMails.queue);
    data.tokenSecret.grantRead(this.function.role);

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // Sign-up has its own per-client limit in the app; this caps what any crowd can cost.
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.api.addRoutes({
      path: '/{proxy+}',
      integration: new HttpLambdaIntegration('WebIntegration', this.function.function),
    });
    this.api.addRoutes({
      path: '/',
      integration: new HttpLambdaIntegration('WebRootIntegration', this.function.function),
    });
    this.acknowledgeFindings(stage);
    new CfnOutput(this, 'PublicUrl', { value: this.publicUrl });
  }

  private acknowledgeFindings(stage: HttpStage): void {
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'A public website: sign-up, archive and one-click unsubscribe must work without an account. Manage ' +
        'links carry signed tokens, and the admin API checks its key (stored only as a SHA-256 hash) in the app.',
    });
    Validations.of(stage).acknowledge({
      id: 'Serverless-APIGWXrayTracing',
      reason: 'HTTP APIs do not support X-Ray; the function behind it is traced.',
    });
  }
}
