import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { App } from '#lib/app/create-app.ts';
import { createLocalApp } from '#lib/app/local-app.ts';
import { QUEUES } from '#lib/aws/resources.ts';
import { parseConfig } from '#lib/config.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#lib/local/stack.ts';
import { writeBundleConfig } from '../../cdk/bundling.ts';

export interface TestStack extends LocalStack {
  /** The application wired to this stack, as the composition root builds it. */
  app: App;
}

/**
 * Gives a test file its own local AWS (dynalite + fauxqs in memory, on free loopback ports) and an app
 * wired to it, so files running in parallel never share a table or a queue. The configuration comes
 * from `env` alone, never from the shell: no test reaches a real account or a developer's LocalStack.
 */
export function useLocalStack(
  options: LocalStackOptions & { env?: Record<string, string> } = {},
): () => TestStack {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
  });
  afterAll(async () => {
    if (stack) await stopTestStack(stack);
  });
  return () => {
    if (!stack) throw new Error('The local stack is not running yet (use it inside a test or hook).');
    return stack;
  };
}

/** Starts a stack and its app for one test (`useLocalStack` does this once per file). */
export async function startTestStack(
  options: LocalStackOptions & { env?: Record<string, string> } = {},
): Promise<TestStack> {
  const { env, ...stackOptions } = options;
  const config = parseConfig({ CIPHERWATCH_LOG_LEVEL: 'error', ...env });
  const local = await startLocalStack(stackOptions);
  return Object.assign(local, { app: createLocalApp(local.configure(config)) });
}

export async function stopTestStack(stack: TestStack): Promise<void> {
  stack.app.close();
  await stack.stop();
}

/** The environment a deployed function would get, pointed at this stack: for tests of `functions/*.ts`. */
export function lambdaEnvironment(
  stack: LocalStack,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AWS_REGION: stack.aws.region,
    AWS_ACCESS_KEY_ID: stack.aws.credentials?.accessKeyId ?? 'local',
    AWS_SECRET_ACCESS_KEY: stack.aws.credentials?.secretAccessKey ?? 'local',
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint,
    ...Object.fromEntries(Object.values(QUEUES).map((queue) => [queue.envVar, stack.queues[queue.id].url])),
    CIPHERWATCH_LOG_LEVEL: 'error',
    CIPHERWATCH_CONFIG_DIR: bundleConfigDir(),
    ...extra,
  };
}

let compiledConfig: string | undefined;
/** A config folder as a Lambda bundle carries it (compiled topic pack and model), made once per test file. */
function bundleConfigDir(): string {
  if (!compiledConfig) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-lambda-config-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    writeBundleConfig(dir);
    compiledConfig = dir;
  }
  return compiledConfig;
}
