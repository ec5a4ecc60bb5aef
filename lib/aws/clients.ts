import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from '#lib/config.ts';

export interface AwsClients {
  dynamodb: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** Closes the clients' sockets (a command's end, a test's teardown). */
  destroy(): void;
}

/**
 * The AWS clients for one set of endpoints: AWS itself when none are given, else LocalStack or the
 * local stack. Built once by the composition root and shared by every repository and queue.
 */
export function createAwsClients(settings: AwsSettings): AwsClients {
  const common = {
    region: settings.region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
  const dynamodb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...common, ...endpoint(settings.endpoints.dynamodb) }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  // Emulators hand out queue URLs on hosts such as `sqs.us-east-1.localhost` that need not resolve;
  // with an explicit endpoint, requests go to it instead of to the queue URL's host.
  const sqs = new SQSClient({
    ...common,
    ...endpoint(settings.endpoints.sqs),
    useQueueUrlAsEndpoint: !settings.endpoints.sqs,
  });
  return {
    dynamodb,
    sqs,
    destroy() {
      dynamodb.destroy();
      sqs.destroy();
    },
  };
}

const endpoint = (url: string | undefined) => (url ? { endpoint: url } : {});
