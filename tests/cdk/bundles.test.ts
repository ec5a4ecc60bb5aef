import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  BUNDLING,
  copyConfigCommands,
  esbuildOptionsFor,
  forbiddenModulesIn,
  functionEntries,
  runtimeConfigFiles,
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

  it('copies topics.yaml (and any model JSON) into the bundle, quoting paths for the shell', () => {
    expect(runtimeConfigFiles()).toContain('topics.yaml');
    expect(copyConfigCommands("/in/it's", '/out', ['topics.yaml'])).toEqual([
      "mkdir -p '/out/config'",
      "cp '/in/it'\\''s/config/topics.yaml' '/out/config/topics.yaml'",
    ]);
  });
});
