import path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BUNDLING,
  copyConfigCommands,
  LAMBDA_CONFIG_DIR,
  PROJECT_ROOT,
  stageBundleConfig,
} from '../bundling.ts';

export interface CipherwatchFunctionProps {
  /** Handler file under functions/, without the extension, e.g. `poll-feeds`. */
  handlerFile: string;
  /** What the function does, shown in the console. */
  description: string;
  /** @default 256 */
  memorySize?: number;
  timeout: Duration;
  /** Variables beyond the shared ones (tables, queues, mail). */
  environment?: Record<string, string>;
  logRetention: RetentionDays;
  /** Where the function's error alarm notifies. */
  alarmAction: IAlarmAction;
  /**
   * How the function is invoked. `schedule`: asynchronously (EventBridge Scheduler), so an invocation
   * that still fails after Lambda's retries goes to `deadLetterQueue`. `queue`: synchronously by an SQS
   * event source, whose queue's redrive policy keeps the failures. `http`: synchronously by API Gateway,
   * whose caller sees the error.
   */
  invokedBy: { kind: 'schedule'; deadLetterQueue: IQueue } | { kind: 'queue' } | { kind: 'http' };
}

/**
 * A Cipherwatch Lambda function with the shared defaults: bundled locally by esbuild (no Docker) as a
 * minified ESM file with source maps, the config files it reads beside it, arm64, the newest Node LTS
 * runtime, an explicit log group with retention, X-Ray tracing, and an alarm on any error.
 */
export class CipherwatchFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  /** The function's own role: it starts with writing its logs, and each stack adds exactly what it uses. */
  readonly role: Role;
  readonly errorAlarm: Alarm;

  constructor(scope: Construct, id: string, props: CipherwatchFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are operational, not records: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role rather than AWSLambdaBasicExecutionRole, which may write to every log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Cipherwatch ${props.handlerFile}: only what this function uses.`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: path.join(PROJECT_ROOT, 'functions', `${props.handlerFile}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.invokedBy.kind === 'schedule' && { deadLetterQueue: props.invokedBy.deadLetterQueue }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        CIPHERWATCH_CONFIG_DIR: LAMBDA_CONFIG_DIR,
        CIPHERWATCH_LOG_LEVEL: 'info',
        POWERTOOLS_SERVICE_NAME: 'cipherwatch',
        POWERTOOLS_METRICS_NAMESPACE: 'Cipherwatch',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        sourcesContent: BUNDLING.sourcesContent,
        // NodejsFunction's `charset` option is not passed to esbuild (aws-cdk-lib 2.276), so say it directly.
        esbuildArgs: { '--charset': BUNDLING.charset },
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        bundleAwsSDK: true,
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => {
            // Called only when this stack is bundled (tests skip bundling), so staging happens only then.
            stageBundleConfig();
            return copyConfigCommands(inputDir, outputDir);
          },
        },
      },
    });
    this.acknowledgeFindings(props);
    this.errorAlarm = new Alarm(this, 'Errors', {
      alarmDescription: `${props.handlerFile} failed: an invocation ended in an error (see its log group).`,
      metric: this.function.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm.addAlarmAction(props.alarmAction);
    this.errorAlarm.addOkAction(props.alarmAction);
  }

  /** The cdk-nag findings every function shares, each with why it is acceptable. */
  private acknowledgeFindings(props: CipherwatchFunctionProps): void {
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (tracing) use Resource "*": X-Ray offers no ' +
        'resource-level permissions for them. Every other statement names its table, index, queue or secret.',
    });
    if (props.invokedBy.kind === 'queue') {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by its SQS event source: a message that keeps failing moves to the source ' +
          "queue's dead-letter queue through its redrive policy, where an alarm reports it.",
      });
    }
    if (props.invokedBy.kind === 'http') {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by API Gateway: the caller receives the error; nothing is queued to lose.',
      });
    }
  }
}
