import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '#lib/config.ts';

/** A `--data-dir` that cannot be used as asked: missing for a read, or not a folder at all. */
export class DataFolderError extends Error {
  override name = 'DataFolderError';
  constructor(
    readonly dataDir: string,
    message: string,
  ) {
    super(message);
  }
}

const PRIVATE_FOLDER = 0o700;

/** Whether a command only reads the data folder or may bring it into being. */
export type DataFolderUse = 'read' | 'create';

/**
 * Checks the data folder before any emulator touches it, so a mistyped `--data-dir` is refused rather
 * than silently becoming a new, empty store. Read-only commands need existing Cipherwatch data; commands
 * that add data create the folder and report `created`, so the caller can say where. When the SDK is
 * pointed at the user's own endpoints (LocalStack, a test's emulators), the data lives there and the
 * folder only holds the outbox, so nothing is checked.
 */
export async function prepareDataFolder(
  config: Pick<Config, 'dataDir' | 'aws'>,
  use: DataFolderUse,
): Promise<{ created: boolean }> {
  const { dataDir } = config;
  if (config.aws.endpoints.dynamodb && config.aws.endpoints.sqs) return { created: false };
  const found = await kindOf(dataDir);
  if (found === 'file') {
    throw new DataFolderError(dataDir, `${dataDir} is a file; --data-dir needs a folder.`);
  }
  if (found === 'inside-file') {
    throw new DataFolderError(dataDir, `${dataDir} cannot be a folder: part of that path is a file.`);
  }
  if (found === 'folder' && (await kindOf(path.join(dataDir, 'dynamodb'))) === 'folder') {
    // The folder holds subscribers' addresses and the key that signs their links: its owner's alone.
    await chmod(dataDir, PRIVATE_FOLDER);
    return { created: false };
  }
  if (use === 'read') {
    throw new DataFolderError(
      dataDir,
      `${dataDir} holds no Cipherwatch data (is --data-dir or CIPHERWATCH_HOME mistyped?). ` +
        '`cipherwatch start` creates it.',
    );
  }
  try {
    await mkdir(dataDir, { recursive: true, mode: PRIVATE_FOLDER });
    await chmod(dataDir, PRIVATE_FOLDER);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new DataFolderError(dataDir, `cannot create the data folder ${dataDir} (${code}).`);
  }
  return { created: true };
}

async function kindOf(target: string): Promise<'missing' | 'file' | 'folder' | 'inside-file'> {
  try {
    return (await stat(target)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    // A file somewhere along the path: the path can never be a folder.
    if (code === 'ENOTDIR') return 'inside-file';
    throw error;
  }
}
