import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_CONFIG_FILES, BUNDLING } from '../../cdk/bundling.ts';
import { CipherwatchFunction } from '../../cdk/constructs/cipherwatch-function.ts';

describe('the function construct, bundling for real', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-asset-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes one UTF-8 ESM bundle with the createRequire banner, its source map and the config files', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'AssetProbe');
    new CipherwatchFunction(stack, 'SesEvents', {
      handlerFile: 'ses-events',
      description: 'probe',
      timeout: Duration.seconds(20),
      logRetention: RetentionDays.ONE_WEEK,
      alarmAction: new SnsAction(new Topic(stack, 'Alarms')),
      invokedBy: { kind: 'queue' },
    });

    app.synth();

    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const asset = path.join(outdir, assets[0] ?? '');
    const code = readFileSync(path.join(asset, 'index.mjs'), 'utf8');
    expect(code.startsWith(BUNDLING.banner)).toBe(true);
    expect(existsSync(path.join(asset, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(path.join(asset, 'config')).sort()).toEqual([...BUNDLE_CONFIG_FILES].sort());
    // Written as UTF-8: non-ASCII text stays as it is instead of growing into \u escapes.
    expect([...code].some((char) => (char.codePointAt(0) ?? 0) > 0x7f)).toBe(true);
  });
});
