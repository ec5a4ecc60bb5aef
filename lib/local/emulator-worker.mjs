// Runs dynalite (DynamoDB API) and fauxqs (SQS API) on a worker thread, so the emulators' request
// handling uses the second core instead of competing with the pipeline for the main thread.
// Plain JavaScript: worker threads do not inherit the TypeScript loader.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { Level } from 'level';

const { dataDir, dynamodbPort = 0, sqsPort = 0 } = workerData ?? {};

/**
 * Reads a store that already holds files from end to end before dynalite opens it. LevelDB asked to
 * open a store whose CURRENT file is gone starts a new, empty one and deletes the old table files, and a
 * damaged file surfaces only on the first request as a crash; refusing here changes and deletes nothing.
 */
async function checkStore(storePath) {
  let files;
  try {
    files = readdirSync(storePath);
  } catch {
    return;
  }
  if (files.length === 0) return;
  if (!files.includes('CURRENT')) {
    throw new Error('its CURRENT file is missing, so LevelDB would start an empty store over it');
  }
  const store = new Level(storePath, { createIfMissing: false });
  try {
    await store.open();
    for await (const _key of store.keys()) {
      // Reading every key touches every table file, so a truncated one is found now.
    }
  } catch (error) {
    const cause = error?.cause?.message ?? error?.message ?? String(error);
    throw new Error(cause.replace(/\s+/g, ' ').trim());
  } finally {
    await store.close().catch(() => {});
  }
}

let storePath;
if (dataDir) {
  storePath = path.join(dataDir, 'dynamodb');
  try {
    await checkStore(storePath);
  } catch (error) {
    parentPort?.postMessage({ type: 'failed', store: storePath, message: error.message });
    await new Promise(() => {}); // Wait to be terminated by the parent.
  }
  mkdirSync(storePath, { recursive: true, mode: 0o700 });
}

const dynamo = dynalite({ path: storePath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// buildApp rather than startFauxqs: startFauxqs listens on every interface, and a laptop's queue
// emulator has no business answering the network.
const sqs = buildApp({ logger: false });

try {
  await new Promise((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(dynamodbPort, '127.0.0.1', resolve);
  });
  const sqsAddress = await sqs.listen({ port: sqsPort, host: '127.0.0.1' });
  parentPort?.postMessage({
    type: 'ready',
    dynamodbPort: dynamo.address().port,
    sqsPort: Number(new URL(sqsAddress).port),
  });
} catch (error) {
  parentPort?.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  });
}

parentPort?.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  await sqs.close();
  dynamo.closeAllConnections?.();
  // dynalite closes its LevelDB store when the server closes, so data is flushed before exit.
  await new Promise((resolve) => dynamo.close(resolve));
  parentPort?.postMessage({ type: 'stopped' });
});
