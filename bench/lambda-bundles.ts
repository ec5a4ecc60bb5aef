import { benchBundles as measureBundles } from './bundle.ts';
import { round, type ScenarioResult } from './scenario.ts';

const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 300;

/**
 * The Lambda bundles as a runner scenario: bench/bundle.ts bundles each `functions/*.ts` with the CDK
 * app's own esbuild options (cdk/bundling.ts) and times a fresh Node process importing it.
 */
export async function benchBundles(): Promise<ScenarioResult> {
  const started = performance.now();
  const measured = await measureBundles();
  const byName = <T>(value: (f: (typeof measured)[number]) => T) =>
    Object.fromEntries(measured.map((f) => [f.name, value(f)]));
  const names = measured.map((f) => f.name);
  return {
    key: 'bundle',
    title: 'bundle: each Lambda function bundled as the CDK app deploys it',
    figures: {
      bytes: byName((f) => f.bytes),
      cold_import_ms: byName((f) => round(f.importMs, 1)),
      cold_import_cpu_ms: byName((f) => round(f.importCpuMs, 1)),
      local_only_packages: byName((f) => f.forbidden),
    },
    headline: names.flatMap((name) => [`bytes.${name}`, `cold_import_ms.${name}`]),
    targets: measured.flatMap((f) => [
      { figure: `bytes.${f.name}`, target: '< 1 MB', met: f.bytes < SIZE_TARGET_BYTES },
      {
        figure: `cold_import_ms.${f.name}`,
        target: `< ${IMPORT_TARGET_MS}`,
        met: f.importMs < IMPORT_TARGET_MS,
      },
    ]),
    notes: [
      'esbuild with cdk/bundling.ts: ESM, minified, source maps, target node24, the AWS SDK bundled; config files beside the bundle',
      'cold import: a fresh Node process importing the bundle (module evaluation and createApp, no invocation), median of 5; cold_import_cpu_ms is the CPU time of the same import',
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
