// Which labelled files `npm run train` learns from, shared by the scripts that train: the shared dev corpus
// (when present), every labelled fixture but the held-out sets, and any files named on the command line.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const sharedDev = path.resolve(repoRoot, '../shared/corpus/dev.jsonl');
const labelledDir = path.join(repoRoot, 'tests/fixtures/labelled');
/** Kept for measurement only: training on them would make their figures meaningless. */
export const heldOut = ['valid.jsonl', 'blind.jsonl', 'multilingual-blind.jsonl'];

/** The project's own training examples: every labelled fixture except the held-out blind sets. */
function ownExampleFiles(): string[] {
  return readdirSync(labelledDir)
    .filter((name) => name.endsWith('.jsonl') && !heldOut.includes(name))
    .sort()
    .map((name) => path.join(labelledDir, name));
}

/** The training files, in the order the trainer reads them; `extra` are feedback exports and the like. */
export function trainingFiles(extra: readonly string[] = []): string[] {
  return [
    ...(existsSync(sharedDev) ? [sharedDev] : []),
    ...ownExampleFiles(),
    ...extra.map((file) => path.resolve(file)),
  ];
}

/** A name for the model file that never records a machine path. */
export function sourceName(file: string): string {
  const relative = path.relative(repoRoot, file);
  if (!relative.startsWith('..') || relative.startsWith(`..${path.sep}shared${path.sep}`))
    return relative.split(path.sep).join('/');
  return path.basename(file);
}
