import { beforeAll, describe, expect, it } from 'vitest';
import { synthCipherwatch } from './synth.ts';
import { DeploymentReader } from './template-reader.ts';

const ADMIN_KEY_HASH = 'a'.repeat(64);

let reader: DeploymentReader;
let web: NonNullable<DeploymentReader['web']>;

beforeAll(() => {
  // Synthesizing runs the cdk-nag packs over the web stack too.
  const synth = synthCipherwatch({ adminApiKeyHash: ADMIN_KEY_HASH });
  reader = new DeploymentReader(synth.data, synth.pipeline, synth.web);
  if (!reader.web) throw new Error('no web stack');
  web = reader.web;
});

const props = (resource: { Properties?: Record<string, unknown> } | undefined) => resource?.Properties ?? {};

describe('web stack', () => {
  it('serves every path through one function behind a throttled, access-logged HTTP API', () => {
    const routes = reader.resources(web, 'AWS::ApiGatewayV2::Route').map(([, r]) => props(r).RouteKey);
    const [, stage] = reader.resources(web, 'AWS::ApiGatewayV2::Stage')[0] ?? [];

    expect(routes.sort()).toEqual(['ANY /', 'ANY /{proxy+}']);
    expect(props(stage)).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.stringContaining('requestId') },
    });
  });

  it('gives the function the token key ARN and the admin key hash, never a key', () => {
    const [, fn] = reader.resources(web, 'AWS::Lambda::Function')[0] ?? [];
    const variables = (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;

    expect(variables).toMatchObject({
      CIPHERWATCH_ADMIN_API_KEY_HASH: ADMIN_KEY_HASH,
      CIPHERWATCH_TOKEN_SECRET_ARN: expect.anything(),
    });
    expect(Object.keys(variables)).not.toContain('CIPHERWATCH_TOKEN_SECRET');
  });

  it('gives the function no mail settings: it sends no mail', () => {
    const [, fn] = reader.resources(web, 'AWS::Lambda::Function')[0] ?? [];
    const variables = (props(fn).Environment as { Variables: Record<string, unknown> }).Variables;

    expect(Object.keys(variables).filter((name) => name.startsWith('CIPHERWATCH_MAIL_'))).toEqual([]);
  });

  it('points the links in digests at the HTTP API', () => {
    const [, sender] =
      reader
        .resources(reader.pipeline, 'AWS::Lambda::Function')
        .find(([id]) => id.startsWith('SendDigests')) ?? [];
    const variables = (props(sender).Environment as { Variables: Record<string, unknown> }).Variables;
    const [apiId] = reader.resources(web, 'AWS::ApiGatewayV2::Api')[0] ?? [];

    expect(JSON.stringify(variables.CIPHERWATCH_PUBLIC_URL)).toContain('CipherwatchWeb:ExportsOutput');
    expect(JSON.stringify(variables.CIPHERWATCH_PUBLIC_URL)).toContain(String(apiId));
  });

  it('lets the web function use only its tables, the three work queues it feeds and the token key', () => {
    const permissions = reader.permissionsOf('Web', web);

    expect(permissions).toEqual(
      [
        ...['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'].map(
          (a) => `dynamodb:${a} on table:subscribers`,
        ),
        'dynamodb:Query on index:subscribers/byNextDigest',
        ...['GetItem', 'BatchGetItem', 'Query'].map((a) => `dynamodb:${a} on table:stories`),
        ...['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'].map(
          (a) => `dynamodb:${a} on table:feeds`,
        ),
        ...['Query', 'BatchWriteItem'].map((a) => `dynamodb:${a} on table:deliveries`),
        ...['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].map((a) => `dynamodb:${a} on table:limits`),
        ...['PutItem', 'Query', 'BatchWriteItem'].map((a) => `dynamodb:${a} on table:feedback`),
        'sqs:SendMessage on queue:pollFeeds',
        'sqs:SendMessage on queue:digests',
        'sqs:SendMessage on queue:signUpMails',
        'secretsmanager:DescribeSecret on secret:token',
        'secretsmanager:GetSecretValue on secret:token',
        'xray:PutTelemetryRecords on *',
        'xray:PutTraceSegments on *',
        'logs:CreateLogStream on own-log-group',
        'logs:PutLogEvents on own-log-group',
      ].sort(),
    );
  });

  it('never lets the web function call SES: sign-up mails go through the digests queue to the sender', () => {
    const actions = reader
      .resources(web, 'AWS::IAM::Policy')
      .flatMap(
        ([, policy]) =>
          (props(policy).PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      )
      .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));

    expect(actions).toContain('sqs:SendMessage');
    expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
  });
});
