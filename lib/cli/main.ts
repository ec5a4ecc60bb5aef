import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerClassifyCommand } from '#lib/cli/commands/classify.ts';
import { registerDemoCommand } from '#lib/cli/commands/demo.ts';
import { registerDigestCommand } from '#lib/cli/commands/digest.ts';
import { registerEvalCommand } from '#lib/cli/commands/eval.ts';
import { registerFeedbackCommand } from '#lib/cli/commands/feedback.ts';
import { registerFeedsCommand } from '#lib/cli/commands/feeds.ts';
import { registerPollCommand } from '#lib/cli/commands/poll.ts';
import { registerStartCommand } from '#lib/cli/commands/start.ts';
import { registerStoriesCommand } from '#lib/cli/commands/stories.ts';
import { registerSubscribersCommand } from '#lib/cli/commands/subscribers.ts';
import type { Resolver } from '#lib/reader/address-guard.ts';
import { errorLine } from './errors.ts';

/** The version in package.json, the one `npm install` put on this machine. */
export function cipherwatchVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export interface ProgramOptions {
  /** Host name resolver for checks made before the network is used (tests inject one). */
  resolve?: Resolver;
}

/** Builds the `cipherwatch` command line: one line of help per command. */
export function buildProgram(options: ProgramOptions = {}): Command {
  const program = new Command('cipherwatch')
    .description('Media monitoring for encryption, surveillance and platform policy: feeds in, digests out.')
    .version(cipherwatchVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError('(run cipherwatch --help for usage)')
    .exitOverride();
  registerStartCommand(program);
  registerDemoCommand(program);
  registerPollCommand(program);
  registerClassifyCommand(program);
  registerEvalCommand(program);
  registerFeedsCommand(program, { resolve: options.resolve });
  registerStoriesCommand(program);
  registerSubscribersCommand(program);
  registerDigestCommand(program);
  registerFeedbackCommand(program);
  return program;
}

/** Runs the CLI and returns the exit code; every failure is one readable line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed help or its own message.
      return error.exitCode;
    }
    process.stderr.write(`${errorLine(error)}\n`);
    return 1;
  }
}
