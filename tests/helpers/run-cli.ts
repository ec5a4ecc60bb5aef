import { vi } from 'vitest';
import { errorLine } from '#lib/cli/errors.ts';
import { buildProgram } from '#lib/cli/main.ts';
import type { Resolver } from '#lib/reader/address-guard.ts';

/** Resolves every host to one public address, so commands that check a feed's address never ask real DNS. */
export const publicResolver: Resolver = async () => [{ address: '93.184.215.14', family: 4 }];

/**
 * Runs the CLI in this process and returns what it printed, as `cipherwatch …` would. `env` is the
 * environment the command sees (on top of the test process's own), e.g. a local stack's endpoints;
 * `resolve` answers the host name lookups made before any fetch (public by default, never real DNS).
 */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: { resolve?: Resolver } = {},
): Promise<{ stdout: string; stderr: string; failed: boolean; exitCode: number }> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  let failed = false;
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  let exitCode = 0;
  try {
    await buildProgram({ resolve: options.resolve ?? publicResolver }).parseAsync([
      'node',
      'cipherwatch',
      ...args,
    ]);
    exitCode = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    failed = true;
    exitCode = 1;
    stderr += `${errorLine(error)}\n`;
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
    process.exitCode = previousExitCode;
  }
  return { stdout, stderr, failed, exitCode };
}
