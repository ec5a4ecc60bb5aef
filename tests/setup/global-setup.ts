import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../lib/local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localEnvironment: Record<string, string>;
  }
}

const PROPAGATED = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'POLL_FEEDS_QUEUE_URL',
  'DIGESTS_QUEUE_URL',
];

/** One local stack (dynalite + fauxqs on free loopback ports, in memory) for the whole run. */
export default async function setup(project: TestProject) {
  // Tests must never reach a real AWS account or a user's LocalStack.
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  delete process.env.AWS_ENDPOINT_URL_SQS;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  const stack = await startLocalStack();
  const environment: Record<string, string> = {};
  for (const key of PROPAGATED) {
    const value = process.env[key];
    if (value) environment[key] = value;
  }
  project.provide('localEnvironment', environment);
  return async () => {
    await stack.stop();
  };
}
