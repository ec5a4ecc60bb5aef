import { type AppContext, getAppContext, resetAppContext } from '../app/context.ts';
import { resetDeliveryDependencies } from '../app/delivery-context.ts';
import { getConfig } from '../config.ts';
import { startLocalStack } from '../local/stack.ts';
import { createTerminalLog, setLog } from '../log.ts';
import { resolveDataDir } from './data-dir.ts';
import { type DataFolderUse, prepareDataFolder } from './data-folder.ts';

/**
 * Runs a command against the data folder's tables: through a running `cipherwatch start` when there
 * is one, else through emulators started just for this command (or the user's AWS endpoints).
 * `use: 'read'` (the default) refuses a folder holding no Cipherwatch data; `'create'` makes it and says where.
 */
export async function withLocalData<T>(
  options: { dataDir?: string },
  work: (context: AppContext) => Promise<T>,
  { use = 'read' }: { use?: DataFolderUse } = {},
): Promise<T> {
  const dataDir = resolveDataDir(options);
  setLog(createTerminalLog(getConfig().logLevel === 'info' ? 'warn' : getConfig().logLevel));
  const { created } = await prepareDataFolder(dataDir, use);
  if (created) process.stderr.write(`Created a new data folder at ${dataDir}.\n`);
  const stack = await startLocalStack({ dataDir });
  // The context is built for this data folder and these endpoints.
  resetAppContext();
  resetDeliveryDependencies();
  try {
    return await work(getAppContext());
  } finally {
    resetDeliveryDependencies();
    await stack.stop();
  }
}
