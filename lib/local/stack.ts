import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type QueueId, TABLES } from '#lib/aws/resources.ts';
import type { AwsSettings, Config } from '#lib/config.ts';
import { createQueues, createTables, type LocalQueue } from './bootstrap.ts';
import { type Emulators, startEmulators } from './emulators.ts';
import { repairSecondaryIndexes } from './index-repair.ts';

/** A running local AWS: emulators (or the user's endpoints) with every table and queue created. */
export interface LocalStack {
  dataDir: string | undefined;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  queues: Record<QueueId, LocalQueue>;
  /** True when this process started the emulators (false when the user's endpoints are used). */
  ownsEmulators: boolean;
  /** The pid of another Cipherwatch process whose emulators this stack is borrowing, if any. */
  borrowedFrom: number | undefined;
  /** The AWS settings that reach this stack. */
  aws: AwsSettings;
  /** Index entries mended because the last process on this data folder stopped without releasing it. */
  indexRepair: { restored: number; removed: number } | undefined;
  /** `config` pointed at this stack: its endpoints, credentials and queue URLs. */
  configure(config: Config): Config;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Folder the DynamoDB store persists in; in memory when absent (tests). */
  dataDir?: string | undefined;
  dynamodbPort?: number;
  sqsPort?: number;
  visibilityTimeoutSeconds?: number;
  /** The user's own AWS settings: with both endpoints set (LocalStack, say), no emulator is started. */
  aws?: AwsSettings;
}

/** Emulators accept any credentials; fixed ones keep the SDK from looking for real ones. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Starts dynalite and fauxqs in this process (unless the user already points the SDK elsewhere with
 * AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_SQS), creates every table and queue from the shared
 * definitions, and hands back the settings that reach them, which the composition root takes like any
 * other configuration: the handlers run unchanged.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = options.aws?.region ?? 'us-east-1';
  let userDynamo = options.aws?.endpoints.dynamodb;
  let userSqs = options.aws?.endpoints.sqs;
  // A `cipherwatch start` already serving this data folder: talk to its emulators instead of fighting
  // it for the store's lock, so `feeds list` works while the pipeline runs.
  const running =
    !(userDynamo && userSqs) && options.dataDir ? await runningStack(options.dataDir) : undefined;
  if (running) {
    userDynamo = running.dynamodbEndpoint;
    userSqs = running.sqsEndpoint;
  }
  const useUserEndpoints = Boolean(userDynamo && userSqs);

  // The lock outlives only a process that never released it: killed, or cut off by a power failure.
  const stoppedUncleanly =
    !useUserEndpoints && options.dataDir !== undefined && (await lockLeftBehind(options.dataDir));
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

  const aws: AwsSettings = {
    region,
    endpoints: { dynamodb: dynamodbEndpoint, sqs: sqsEndpoint },
    credentials: emulators || running ? LOCAL_CREDENTIALS : options.aws?.credentials,
  };
  const clientSettings = {
    region,
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
  };
  const dynamodb = new DynamoDBClient({ ...clientSettings, endpoint: dynamodbEndpoint });
  const sqs = new SQSClient({ ...clientSettings, endpoint: sqsEndpoint, useQueueUrlAsEndpoint: false });
  try {
    await createTables(dynamodb);
    const indexRepair =
      stoppedUncleanly && options.dataDir
        ? await repairSecondaryIndexes(
            DynamoDBDocumentClient.from(dynamodb),
            Object.values(TABLES),
            path.join(options.dataDir, 'index-repair.json'),
          )
        : undefined;
    const queues = await createQueues(sqs, { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds });
    return {
      dataDir: options.dataDir,
      dynamodbEndpoint,
      sqsEndpoint,
      queues,
      ownsEmulators: emulators !== undefined,
      borrowedFrom: running?.pid,
      aws,
      indexRepair,
      configure: (config) => ({
        ...config,
        aws,
        queueUrls: {
          pollFeeds: queues.pollFeeds.url,
          digests: queues.digests.url,
          signUpMails: queues.signUpMails.url,
          sesEvents: queues.sesEvents.url,
        },
      }),
      async stop() {
        if (!emulators) return;
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
    // A pid can outlive its process for a moment (not yet reaped) or be reused: only emulators that
    // still answer make the lock live.
    if (!(await answers(lock.dynamodbEndpoint)) || !(await answers(lock.sqsEndpoint))) return undefined;
    return lock as StackLock;
  } catch {
    return undefined;
  }
}

function lockLeftBehind(dataDir: string): Promise<boolean> {
  return access(lockFile(dataDir)).then(
    () => true,
    () => false,
  );
}

async function writeLock(dataDir: string, emulators: Emulators): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
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

/** True when something accepts a TCP connection at the endpoint's host and port within a second. */
function answers(endpoint: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
