import path from 'node:path';
import type { Command } from 'commander';
import { resetConfig } from '#lib/config.ts';
import { runDemo } from '#lib/demo/run-demo.ts';
import { createTerminalLog, setLog } from '#lib/log.ts';

/** `cipherwatch demo` (= `npm run demo`): the offline tour. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('offline tour: sample feeds, demo readers, a poll round and a digest round into the outbox')
    .option('--data-dir <path>', 'folder for the demo’s data, reset on each run', '.cipherwatch-demo')
    .action(async (options: { dataDir: string }) => {
      const dataDir = path.resolve(options.dataDir);
      process.env.CIPHERWATCH_HOME = dataDir;
      resetConfig();
      setLog(createTerminalLog('error'));
      await runDemo({ dataDir, write: (line) => process.stdout.write(`${line}\n`) });
    });
}
