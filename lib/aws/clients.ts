import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The process's AWS clients, built once on first use and reused by every invocation. They read the
 * standard `AWS_ENDPOINT_URL_*` variables, so the same code reaches AWS, LocalStack or the local stack;
 * building lazily lets the local stack set those variables before the first client exists.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

export function getDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function getSqsClient(): SQSClient {
  sqsClient ??= createSqsClient();
  return sqsClient;
}

/**
 * An SQS client for the configured endpoint. Emulators hand out queue URLs on hosts such as
 * `sqs.us-east-1.localhost` that need not resolve; with an explicit endpoint, requests go to it.
 */
export function createSqsClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: !process.env.AWS_ENDPOINT_URL_SQS });
}

/** Drops the cached clients so the next use reads the endpoints afresh (after the local stack moved them). */
export function resetClients(): void {
  documentClient?.destroy();
  sqsClient?.destroy();
  documentClient = undefined;
  sqsClient = undefined;
}
