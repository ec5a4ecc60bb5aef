import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The project's shared material (design, corpora, feed test suite), beside the repository in CI. */
export const sharedRoot = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared');

/** The absolute path of something under ../shared. */
export function sharedPath(relative: string): string {
  return path.join(sharedRoot, relative);
}

/**
 * A describe block that needs `../shared/<relative>`: it runs where the shared material is present (CI,
 * the developers' machines) and is skipped with one clear line where it is not (a user's own clone).
 */
export function describeWithShared(relative: string, name: string, body: () => void): void {
  const needed = sharedPath(relative);
  if (existsSync(needed)) {
    describe(name, body);
    return;
  }
  console.log(`Skipping "${name}": ${needed} is absent (shared material, not part of this repository).`);
  // biome-ignore lint/suspicious/noSkippedTests: the one sanctioned skip, for shared data a clone may lack.
  describe.skip(name, body);
}
