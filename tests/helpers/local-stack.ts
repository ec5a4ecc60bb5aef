import { afterAll, beforeAll } from 'vitest';
import { resetAppContext } from '#lib/app/context.ts';
import { resetDeliveryDependencies } from '#lib/app/delivery-context.ts';
import { resetClients } from '#lib/aws/clients.ts';
import { resetConfig } from '#lib/config.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#lib/local/stack.ts';

/**
 * Gives a test file its own local AWS (dynalite + fauxqs in memory, on free loopback ports), so files
 * running in parallel never share a table or a queue. Returns a getter for the running stack.
 */
export function useLocalStack(
  options: LocalStackOptions & { env?: Record<string, string> } = {},
): () => LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    // Never a real account or a developer's LocalStack.
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    delete process.env.AWS_ENDPOINT_URL_SQS;
    delete process.env.AWS_PROFILE;
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
    Object.assign(process.env, options.env ?? {});
    stack = await startLocalStack(options);
    resetAppContext();
    resetDeliveryDependencies();
  });
  afterAll(async () => {
    resetDeliveryDependencies();
    resetAppContext();
    await stack?.stop();
    resetClients();
    resetConfig();
  });
  return () => {
    if (!stack) throw new Error('The local stack is not running yet (use it inside a test or hook).');
    return stack;
  };
}
