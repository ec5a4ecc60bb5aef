import { Worker } from 'node:worker_threads';

/** The AWS API emulators, running on a worker thread of this process. */
export interface Emulators {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Folder for the DynamoDB store; in memory when absent. */
  dataDir?: string | undefined;
  /** 0 (default) lets the system pick a free port. */
  dynamodbPort?: number;
  sqsPort?: number;
}

/** The emulators could not start (a port in use, a store locked by another process). */
export class EmulatorStartError extends Error {
  override name = 'EmulatorStartError';
}

/** The local DynamoDB store is damaged; nothing was opened, changed or deleted. */
export class LocalStoreError extends Error {
  override name = 'LocalStoreError';
  constructor(
    readonly store: string,
    problem: string,
  ) {
    super(
      `The local store in ${store} cannot be used: ${problem}. Nothing was changed or deleted. ` +
        'Restore that folder from a backup, or move it aside to start with an empty store.',
    );
  }
}

type WorkerMessage =
  | { type: 'ready'; dynamodbPort: number; sqsPort: number }
  | { type: 'failed'; message: string; store?: string }
  | { type: 'stopped' };

/** Starts dynalite (DynamoDB API) and fauxqs (SQS API) on loopback, on their own thread. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const worker = new Worker(new URL('./emulator-worker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, dynamodbPort: options.dynamodbPort, sqsPort: options.sqsPort },
  });
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new EmulatorStartError(`The local emulators crashed: ${error.message}`));
      worker.once('error', onError);
      worker.once('message', (message: WorkerMessage) => {
        worker.off('error', onError);
        resolve(message);
      });
    });

  const started = await next();
  if (started.type !== 'ready') {
    await worker.terminate();
    if (started.type === 'failed' && started.store) throw new LocalStoreError(started.store, started.message);
    throw new EmulatorStartError(
      `The local DynamoDB and SQS emulators could not start: ${started.type === 'failed' ? started.message : 'no reply'}`,
    );
  }
  return {
    dynamodbEndpoint: `http://127.0.0.1:${started.dynamodbPort}`,
    sqsEndpoint: `http://127.0.0.1:${started.sqsPort}`,
    async stop() {
      const stopped = next();
      worker.postMessage({ type: 'stop' });
      await stopped;
      await worker.terminate();
    },
  };
}
