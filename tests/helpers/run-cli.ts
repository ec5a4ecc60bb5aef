import { vi } from 'vitest';
import { errorLine } from '#lib/cli/errors.ts';
import { buildProgram } from '#lib/cli/main.ts';

/**
 * Runs the CLI in this process and returns what it printed, as `cipherwatch …` would. `env` is the
 * environment the command sees (on top of the test process's own), e.g. a local stack's endpoints.
 */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; failed: boolean }> {
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
  try {
    await buildProgram().parseAsync(['node', 'cipherwatch', ...args]);
  } catch (error) {
    failed = true;
    stderr += `${errorLine(error)}\n`;
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
  return { stdout, stderr, failed };
}
