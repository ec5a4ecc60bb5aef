import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const cli = path.resolve('bin/cipherwatch.js');

/** Runs `cipherwatch ARGS` as its own process, collecting what it prints, so a test can wait on a line. */
export function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exitCode,
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`Waited for ${pattern} but the CLI printed:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
