import { vi } from 'vitest';

/**
 * Runs `work` with the terminal log (stderr) captured, so failures a test provokes on purpose are
 * asserted on instead of printed. Returns what `work` returned and the lines it logged.
 */
export async function withCapturedLog<T>(work: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    const result = await work();
    return { result, lines: text.split('\n').filter(Boolean) };
  } finally {
    spy.mockRestore();
  }
}
