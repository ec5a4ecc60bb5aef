import { type AppContext, getAppContext, resetAppContext } from '#lib/app/context.ts';
import { getConfig } from '#lib/config.ts';
import { startLocalStack } from '#lib/local/stack.ts';
import { createTerminalLog, setLog } from '#lib/log.ts';
import { resolveDataDir } from './data-dir.ts';

/**
 * Runs a command against the data folder's tables: through a running `cipherwatch start` when there
 * is one, else through emulators started just for this command (or the user's AWS endpoints).
 */
export async function withLocalData<T>(
  options: { dataDir?: string },
  work: (context: AppContext) => Promise<T>,
): Promise<T> {
  const dataDir = resolveDataDir(options);
  setLog(createTerminalLog(getConfig().logLevel === 'info' ? 'warn' : getConfig().logLevel));
  const stack = await startLocalStack({ dataDir });
  // The context is built for this data folder and these endpoints.
  resetAppContext();
  try {
    return await work(getAppContext());
  } finally {
    await stack.stop();
  }
}
