import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One non-blank line of a JSON Lines stream: its 1-based number and either the value or why it failed. */
export type JsonLine = { line: number; value: unknown } | { line: number; error: string };

/** Reads JSON Lines one line at a time, skipping blank lines; a malformed line yields an error, not a throw. */
export async function* readJsonLines(input: Readable): AsyncGenerator<JsonLine> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (cause) {
      yield { line, error: `not valid JSON (${cause instanceof Error ? cause.message : String(cause)})` };
    }
  }
}
