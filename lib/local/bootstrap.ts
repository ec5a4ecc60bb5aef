import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  deadLetterQueueName,
  type KeyDefinition,
  QUEUES,
  type QueueDefinition,
  TABLES,
  type TableDefinition,
} from '#lib/aws/resources.ts';

/** Creates every table that does not exist yet, from the shared definitions. */
export async function createTables(dynamodb: DynamoDBClient): Promise<string[]> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);

  const created: string[] = [];
  for (const table of Object.values(TABLES)) {
    if (existing.has(table.name)) continue;
    await dynamodb.send(new CreateTableCommand(createTableInput(table)));
    created.push(table.name);
  }
  return created;
}

function createTableInput(table: TableDefinition) {
  const keys = new Map<string, KeyDefinition>();
  const remember = (key: KeyDefinition | undefined) => key && keys.set(key.name, key);
  remember(table.partitionKey);
  remember(table.sortKey);
  for (const index of table.globalIndexes) {
    remember(index.partitionKey);
    remember(index.sortKey);
  }
  const keySchema = (partition: KeyDefinition, sort: KeyDefinition | undefined) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keys.values()].map(
      (key): AttributeDefinition => ({ AttributeName: key.name, AttributeType: key.type }),
    ),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    GlobalSecondaryIndexes: table.globalIndexes.length
      ? table.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: 'ALL' as const },
        }))
      : undefined,
  };
}

export interface LocalQueue {
  definition: QueueDefinition;
  url: string;
  arn: string;
  deadLetterUrl: string;
}

/**
 * Creates every queue with its dead-letter queue and redrive policy (CreateQueue is idempotent).
 * `visibilityTimeoutSeconds` overrides the definition, so tests can watch redelivery without waiting minutes.
 */
export async function createQueues(
  sqs: SQSClient,
  options: { visibilityTimeoutSeconds?: number | undefined } = {},
): Promise<Record<keyof typeof QUEUES, LocalQueue>> {
  const result = {} as Record<keyof typeof QUEUES, LocalQueue>;
  for (const [id, queue] of Object.entries(QUEUES) as [keyof typeof QUEUES, QueueDefinition][]) {
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: deadLetterQueueName(queue),
        Attributes: { MessageRetentionPeriod: String(queue.deadLetterRetentionSeconds) },
      }),
    );
    const deadLetterUrl = requireUrl(dlq.QueueUrl, deadLetterQueueName(queue));
    const deadLetterArn = await queueArn(sqs, deadLetterUrl);
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: queue.name,
        Attributes: {
          VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: deadLetterArn,
            maxReceiveCount: queue.maxReceiveCount,
          }),
        },
      }),
    );
    const url = requireUrl(created.QueueUrl, queue.name);
    result[id] = { definition: queue, url, arn: await queueArn(sqs, url), deadLetterUrl };
  }
  return result;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = attributes.Attributes?.QueueArn;
  if (!arn) throw new Error(`The SQS endpoint returned no ARN for ${queueUrl}.`);
  return arn;
}

function requireUrl(url: string | undefined, name: string): string {
  if (!url) throw new Error(`The SQS endpoint created queue ${name} but returned no URL.`);
  return url;
}
