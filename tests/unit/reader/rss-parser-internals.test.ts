import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';

// lib/feeds/parse.ts replaces three methods of rss-parser's Parser (parseItemAtom, parseItemRss, setISODate)
// on its own instance. They are internals, not API: these checks fail loudly when an upgrade changes them.
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const installed = (require('rss-parser/package.json') as { version: string }).version;

/** SHA-256 of each overridden method's source, as reviewed for rss-parser 3.13.0. */
const REVIEWED: Record<string, { parameters: number; sha256: string }> = {
  parseItemAtom: {
    parameters: 1,
    sha256: '7b4f386c82c3c563bc5cd6a245b02048e760464528b81e714b46910242c53d39',
  },
  parseItemRss: { parameters: 2, sha256: 'e9b758acedb7698510ba85e26f02206c49c2bd1a29d5f00176d5bda79bcc0bf0' },
  setISODate: { parameters: 1, sha256: '65089ae3e73d5b694e4203fc4931374c82bae6a957b06800c76cb076cdc4b0c7' },
};

describe('the rss-parser internals that lib/feeds/parse.ts overrides', () => {
  it('come from the exact version pinned in package.json', () => {
    const pinned = manifest.dependencies['rss-parser'];

    expect(pinned, 'pin rss-parser to an exact version: parse.ts overrides its internals').toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect(installed, 'the installed rss-parser is not the pinned one: run npm ci').toBe(pinned);
  });

  it.each(Object.entries(REVIEWED))('%s is unchanged', (name, reviewed) => {
    const method = (Parser.prototype as unknown as Record<string, unknown>)[name];
    const message =
      `rss-parser ${installed} changed Parser.prototype.${name}, which lib/feeds/parse.ts overrides: ` +
      'review the override against the new source, then record the new hash here';

    expect(typeof method, message).toBe('function');
    const source = String(method);
    expect((method as (...args: unknown[]) => unknown).length, message).toBe(reviewed.parameters);
    expect(createHash('sha256').update(source).digest('hex'), message).toBe(reviewed.sha256);
  });
});
