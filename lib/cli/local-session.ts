import type { App } from '#lib/app/create-app.ts';
import { createLocalApp } from '#lib/app/local-app.ts';
import { startLocalStack } from '#lib/local/stack.ts';
import { createTerminalLog } from '#lib/log.ts';
import { commandConfig } from './data-dir.ts';
import { type DataFolderUse, prepareDataFolder } from './data-folder.ts';

/**
 * Runs a command against the data folder's tables: through a running `cipherwatch start` when there
 * is one, else through emulators started just for this command (or the user's AWS endpoints).
 * `use: 'read'` (the default) refuses a folder holding no Cipherwatch data; `'create'` makes it and says where.
 */
export async function withLocalData<T>(
  options: { dataDir?: string },
  work: (app: App) => Promise<T>,
  { use = 'read' }: { use?: DataFolderUse } = {},
): Promise<T> {
  const config = commandConfig(options);
  const { created } = await prepareDataFolder(config, use);
  if (created) process.stderr.write(`Created a new data folder at ${config.dataDir}.\n`);
  const log = createTerminalLog(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const stack = await startLocalStack({ dataDir: config.dataDir, aws: config.aws });
  const app = createLocalApp(stack.configure(config), { log });
  try {
    return await work(app);
  } finally {
    app.close();
    await stack.stop();
  }
}
