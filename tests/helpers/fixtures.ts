import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads one of this suite's own fixture feeds (tests/fixtures/feeds) as raw bytes. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../fixtures/feeds/${name}`, import.meta.url)));
}

/** Reads a UTF-8 fixture feed as text. */
export function fixtureText(name: string): string {
  return fixtureBytes(name).toString('utf8');
}
