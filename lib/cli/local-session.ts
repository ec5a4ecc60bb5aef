import { type App, createApp } from '#lib/app/create-app.ts';
import { startLocalStack } from '#lib/local/stack.ts';
import { createTerminalLog } from '#lib/log.ts';
import { commandConfig } from './data-dir.ts';

/**
 * Runs a command against the data folder's tables: through a running `cipherwatch start` when there
 * is one, else through emulators started just for this command (or the user's AWS endpoints).
 */
export async function withLocalData<T>(
  options: { dataDir?: string },
  work: (app: App) => Promise<T>,
): Promise<T> {
  const config = commandConfig(options);
  const log = createTerminalLog(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const stack = await startLocalStack({ dataDir: config.dataDir, aws: config.aws });
  const app = createApp(stack.configure(config), { log });
  try {
    return await work(app);
  } finally {
    app.close();
    await stack.stop();
  }
}
