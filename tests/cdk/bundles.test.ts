import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { loadCompiledTopicPack } from '#lib/classify/compiled-pack.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import {
  BUNDLE_CONFIG_FILES,
  BUNDLING,
  copyConfigCommands,
  esbuildOptionsFor,
  forbiddenModulesIn,
  functionEntries,
  writeBundleConfig,
} from '../../cdk/bundling.ts';

describe('Lambda bundles', () => {
  it.each(functionEntries().map((entry) => [path.basename(entry, '.ts'), entry]))(
    '%s bundles without dynalite, fauxqs or tsx, and with the SES client only if it sends mail',
    async (_name, entry) => {
      const result = await build({
        ...esbuildOptionsFor(entry, '/tmp/index.mjs'),
        write: false,
        sourcemap: false,
      });
      const inputs = Object.keys(result.metafile.inputs);

      expect(forbiddenModulesIn(inputs)).toEqual([]);
      expect(inputs.some((input) => input.includes('node_modules/@aws-sdk/'))).toBe(true);
      expect(result.outputFiles?.[0]?.text.startsWith(BUNDLING.banner)).toBe(true);
      // Only the digest sender may call SES; no other function (the web app included) ships the SES client.
      const shipped = Object.values(result.metafile.outputs).flatMap((output) =>
        Object.entries(output.inputs)
          .filter(([, use]) => use.bytesInOutput > 0)
          .map(([input]) => input),
      );
      const ses = shipped.some((input) => input.includes('node_modules/@aws-sdk/client-sesv2/'));
      expect(ses, 'ships @aws-sdk/client-sesv2').toBe(_name === 'send-digests');
    },
  );

  it('would notice a forbidden module among the inputs', () => {
    expect(forbiddenModulesIn(['node_modules/dynalite/index.js', 'lib/config.ts'])).toEqual(['dynalite']);
  });

  it('copies the staged config folder into the bundle, quoting paths for the shell', () => {
    expect(copyConfigCommands("/in/it's", '/out', ['topics.json'])).toEqual([
      "mkdir -p '/out/config'",
      "cp '/in/it'\\''s/node_modules/.cache/cipherwatch-bundle-config/topics.json' '/out/config/topics.json'",
    ]);
  });

  it('compiles the topic pack to JSON beside the model, so bundles never parse YAML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-bundle-config-'));
    try {
      writeBundleConfig(dir);
      expect(readdirSync(dir).sort()).toEqual([...BUNDLE_CONFIG_FILES].sort());
      const compiled = loadCompiledTopicPack(dir);
      expect(compiled).toEqual({ ...loadTopicPack(), source: path.join(dir, 'topics.json') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a broken pack at synth time, naming the file', () => {
    const source = mkdtempSync(path.join(tmpdir(), 'cipherwatch-broken-pack-'));
    try {
      writeFileSync(path.join(source, 'topics.yaml'), 'version: 1\ntopics: []\n');
      expect(() => writeBundleConfig(path.join(source, 'out'), source)).toThrow(
        /topics\.yaml: topics: expected at least one topic/,
      );
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
  });

  it.each(functionEntries().map((entry) => [path.basename(entry, '.ts'), entry]))(
    '%s carries no YAML parser',
    async (_name, entry) => {
      const result = await build({ ...esbuildOptionsFor(entry, '/tmp/index.mjs'), write: false });
      expect(
        Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/yaml/')),
      ).toEqual([]);
    },
  );
});
