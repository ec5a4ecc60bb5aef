import type { Command } from 'commander';
import { getConfig, resetConfig } from '#lib/config.ts';

/** Adds `--data-dir` to a command that reads or writes local data. */
export function withDataDirOption(command: Command): Command {
  return command.option(
    '--data-dir <path>',
    'folder for local data (default: $CIPHERWATCH_HOME or ./.cipherwatch)',
  );
}

/** The data folder a command should use: the flag, else the configured one. */
export function resolveDataDir(options: { dataDir?: string }): string {
  if (options.dataDir) {
    process.env.CIPHERWATCH_HOME = options.dataDir;
    resetConfig();
  }
  return getConfig().dataDir;
}
