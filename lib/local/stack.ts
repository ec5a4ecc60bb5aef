import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createSqsClient, resetClients } from '#lib/aws/clients.ts';
import type { QueueId } from '#lib/aws/resources.ts';
import { QUEUES } from '#lib/aws/resources.ts';
import { resetConfig } from '#lib/config.ts';
import { createQueues, createTables, type LocalQueue } from './bootstrap.ts';
import { type Emulators, startEmulators } from './emulators.ts';

/** A running local AWS: endpoints in the environment, tables and queues created. */
export interface LocalStack {
  dataDir: string | undefined;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  queues: Record<QueueId, LocalQueue>;
  /** True when this process started the emulators (false when the user's endpoints are used). */
  ownsEmulators: boolean;
  /** The pid of another Cipherwatch process whose emulators this stack is borrowing, if any. */
  borrowedFrom: number | undefined;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Folder the DynamoDB store persists in; in memory when absent (tests). */
  dataDir?: string | undefined;
  dynamodbPort?: number;
  sqsPort?: number;
  visibilityTimeoutSeconds?: number;
}

const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
};

/**
 * Starts dynalite and fauxqs in this process (unless the user already points the SDK elsewhere with
 * AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_SQS), creates every table and queue from the shared
 * definitions, and exports the endpoints and queue URLs through the standard environment variables so
 * the handlers run unchanged.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  let userDynamo = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  let userSqs = process.env.AWS_ENDPOINT_URL_SQS;
  // A `cipherwatch start` already serving this data folder: talk to its emulators instead of fighting
  // it for the store's lock, so `feeds list` works while the pipeline runs.
  const running =
    !(userDynamo && userSqs) && options.dataDir ? await runningStack(options.dataDir) : undefined;
  if (running) {
    userDynamo = running.dynamodbEndpoint;
    userSqs = running.sqsEndpoint;
  }
  const useUserEndpoints = Boolean(userDynamo && userSqs);

  let emulators: Emulators | undefined;
  if (!useUserEndpoints) {
    try {
      emulators = await startEmulators(options);
      if (options.dataDir) await writeLock(options.dataDir, emulators);
    } catch (error) {
      await emulators?.stop();
      throw error;
    }
  }
  const dynamodbEndpoint = emulators?.dynamodbEndpoint ?? (userDynamo as string);
  const sqsEndpoint = emulators?.sqsEndpoint ?? (userSqs as string);

  const previousEnvironment = { ...process.env };
  const endpointsMoved =
    process.env.AWS_ENDPOINT_URL_DYNAMODB !== dynamodbEndpoint ||
    process.env.AWS_ENDPOINT_URL_SQS !== sqsEndpoint;
  for (const [key, value] of Object.entries(LOCAL_CREDENTIALS)) process.env[key] ??= value;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbEndpoint;
  process.env.AWS_ENDPOINT_URL_SQS = sqsEndpoint;

  const dynamodb = new DynamoDBClient({});
  const sqs = createSqsClient();
  try {
    await createTables(dynamodb);
    const queues = await createQueues(sqs, { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds });
    for (const queue of Object.values(queues)) process.env[QUEUES[queue.definition.id].envVar] = queue.url;
    if (endpointsMoved) resetClients();
    resetConfig();
    return {
      dataDir: options.dataDir,
      dynamodbEndpoint,
      sqsEndpoint,
      queues,
      ownsEmulators: emulators !== undefined,
      borrowedFrom: running?.pid,
      async stop() {
        if (!emulators) return;
        // Clients and variables pointing at emulators about to vanish must not be reused.
        for (const name of [
          'AWS_ENDPOINT_URL_DYNAMODB',
          'AWS_ENDPOINT_URL_SQS',
          ...Object.values(QUEUES).map((q) => q.envVar),
        ]) {
          if (previousEnvironment[name] === undefined) delete process.env[name];
          else process.env[name] = previousEnvironment[name];
        }
        resetClients();
        resetConfig();
        await emulators.stop();
        if (options.dataDir) await releaseDataDir(options.dataDir);
      },
    };
  } catch (error) {
    await emulators?.stop();
    if (options.dataDir && emulators) await releaseDataDir(options.dataDir);
    throw error;
  } finally {
    dynamodb.destroy();
    sqs.destroy();
  }
}

const lockFile = (dataDir: string) => path.join(dataDir, 'stack.json');

interface StackLock {
  pid: number;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}

/** The endpoints of a live process serving this data folder, if there is one. */
async function runningStack(dataDir: string): Promise<StackLock | undefined> {
  try {
    const lock = JSON.parse(await readFile(lockFile(dataDir), 'utf8')) as Partial<StackLock>;
    if (typeof lock.pid !== 'number' || lock.pid === process.pid || !isAlive(lock.pid)) return undefined;
    if (typeof lock.dynamodbEndpoint !== 'string' || typeof lock.sqsEndpoint !== 'string') return undefined;
    return lock as StackLock;
  } catch {
    return undefined;
  }
}

async function writeLock(dataDir: string, emulators: Emulators): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const lock: StackLock = {
    pid: process.pid,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
  };
  await writeFile(lockFile(dataDir), `${JSON.stringify(lock)}\n`);
}

async function releaseDataDir(dataDir: string): Promise<void> {
  await rm(lockFile(dataDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
