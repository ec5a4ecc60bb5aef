import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import { buildProgram, cipherwatchVersion } from '#lib/cli/main.ts';

describe('the command line', () => {
  it('prints the package version with --version', () => {
    const written: string[] = [];
    const program = buildProgram().configureOutput({ writeOut: (text) => written.push(text) });

    expect(() => program.parse(['node', 'cipherwatch', '--version'])).toThrow();
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(written.join('')).toBe(`${version}\n`);
    expect(cipherwatchVersion()).toBe(version);
  });

  it('names a topic pack that cannot be read by the path as given, not a path relative to here', () => {
    expect(() => loadTopicPack('/nonexistent.yaml')).toThrow(
      /^\/nonexistent\.yaml: cannot read the topic pack \(ENOENT\)$/,
    );
  });
});
