import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';

/** The AWS API emulators running inside this process. */
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

/** Starts dynalite (DynamoDB API) and fauxqs (SQS API) on loopback. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  let storePath: string | undefined;
  if (options.dataDir) {
    storePath = path.join(options.dataDir, 'dynamodb');
    await mkdir(storePath, { recursive: true });
  }
  const dynamo: Server = dynalite({ path: storePath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamodbPort ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;

  // buildApp rather than startFauxqs: startFauxqs listens on every interface, and a laptop's queue
  // emulator has no business answering the network.
  const sqs = buildApp({ logger: false });
  let sqsPort: number;
  try {
    const address = await sqs.listen({ port: options.sqsPort ?? 0, host: '127.0.0.1' });
    sqsPort = Number(new URL(address).port);
  } catch (error) {
    await closeServer(dynamo);
    throw error;
  }

  return {
    dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    sqsEndpoint: `http://127.0.0.1:${sqsPort}`,
    async stop() {
      await sqs.close();
      await closeServer(dynamo);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}
