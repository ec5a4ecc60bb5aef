import type { Command } from 'commander';
import { type Config, loadConfig } from '#lib/config.ts';

/** Adds `--data-dir` to a command that reads or writes local data. */
export function withDataDirOption(command: Command): Command {
  return command.option(
    '--data-dir <path>',
    'folder for local data (default: $CIPHERWATCH_HOME or ./.cipherwatch)',
  );
}

/** The configuration a command runs with: the environment, with `--data-dir` taking precedence. */
export function commandConfig(options: { dataDir?: string | undefined }): Config {
  return loadConfig(options.dataDir ? { dataDir: options.dataDir } : {});
}
