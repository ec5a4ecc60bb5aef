import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '#lib/config.ts';
import { runDemo } from '#lib/demo/run-demo.ts';
import { createTerminalLog } from '#lib/log.ts';

/** `cipherwatch demo` (= `npm run demo`): the offline tour. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('offline tour: sample feeds, demo readers, a poll round and a digest round into the outbox')
    .option('--data-dir <path>', 'folder for the demo’s data, reset on each run', '.cipherwatch-demo')
    .action(async (options: { dataDir: string }) => {
      const dataDir = path.resolve(options.dataDir);
      await runDemo({
        config: loadConfig({ dataDir }),
        log: createTerminalLog('error'),
        write: (line) => process.stdout.write(`${line}\n`),
      });
    });
}
