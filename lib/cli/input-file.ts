import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** An input file that cannot be opened; the message names it and the system's reason. */
export class InputFileError extends Error {
  override name = 'InputFileError';
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    const reason =
      options.cause instanceof Error && 'code' in options.cause ? String(options.cause.code) : 'unreadable';
    super(`cannot read ${file} (${reason})`, options);
  }
}

/** Opens a file for streaming, failing with InputFileError before any line is read. */
export function openInputFile(file: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file);
    stream.once('open', () => resolve(stream));
    stream.once('error', (cause) => reject(new InputFileError(file, { cause })));
  });
}

/** Reads a whole (small) input file as text, failing with InputFileError like `openInputFile`. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputFileError(file, { cause });
  }
}
