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

type WorkerMessage =
  | { type: 'ready'; dynamodbPort: number; sqsPort: number }
  | { type: 'failed'; message: string }
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
