// Bundles every Lambda function exactly as the CDK app does (cdk/bundling.ts) and reports its minified
// size and cold import time: a fresh Node process importing the bundle, median of several runs.
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  esbuildOptionsFor,
  forbiddenModulesIn,
  functionEntries,
  PROJECT_ROOT,
  writeBundleConfig,
} from '../cdk/bundling.ts';

const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 300;
const IMPORT_RUNS = 5;

export interface BundleFigures {
  name: string;
  bytes: number;
  /** Wall-clock milliseconds to import the bundle (module evaluation, including createApp at module scope). */
  importMs: number;
  /** CPU milliseconds the same import used: what a dedicated Lambda vCPU would wait, even on a busy machine. */
  importCpuMs: number;
  forbidden: string[];
}

/** Builds one function's bundle (with its config files) under `outDir`; returns the bundle's path. */
async function bundle(entry: string, outDir: string): Promise<{ file: string; inputs: string[] }> {
  const dir = path.join(outDir, path.basename(entry, '.ts'));
  rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, 'index.mjs');
  const result = await build(esbuildOptionsFor(entry, file));
  writeBundleConfig(path.join(dir, 'config'));
  return { file, inputs: Object.keys(result.metafile.inputs) };
}

/** Wall and CPU milliseconds a fresh Node process spends importing the bundle (no invocation). */
function coldImport(file: string): { wall: number; cpu: number } {
  const script = `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }));`;
  const output = execFileSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: 'bench',
        CIPHERWATCH_CONFIG_DIR: path.join(path.dirname(file), 'config'),
        // Lambda runs Node 24; the SDK's notice about Node 20 would only clutter the table here.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as { wall: number; cpu: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Bundles and measures every function; prints a table and returns the figures. */
export async function benchBundles(): Promise<BundleFigures[]> {
  // Inside the project, so nothing resolves from elsewhere; node_modules/.cache is ignored by git.
  const outDir = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'cipherwatch-bundles');
  const figures: BundleFigures[] = [];
  for (const entry of functionEntries()) {
    const { file, inputs } = await bundle(entry, outDir);
    const runs = Array.from({ length: IMPORT_RUNS }, () => coldImport(file));
    figures.push({
      name: path.basename(entry, '.ts'),
      bytes: statSync(file).size,
      importMs: median(runs.map((run) => run.wall)),
      importCpuMs: median(runs.map((run) => run.cpu)),
      forbidden: forbiddenModulesIn(inputs),
    });
  }
  console.log(
    `Lambda bundles (esbuild, as deployed; targets < ${SIZE_TARGET_BYTES / 1e6} MB and < ${IMPORT_TARGET_MS} ms CPU to import, median of ${IMPORT_RUNS} fresh processes)`,
  );
  console.log(
    `  ${'function'.padEnd(18)} ${'size'.padStart(10)} ${'import'.padStart(9)} ${'(wall)'.padStart(9)}`,
  );
  for (const f of figures) {
    const ok = f.bytes < SIZE_TARGET_BYTES && f.importCpuMs < IMPORT_TARGET_MS && f.forbidden.length === 0;
    console.log(
      `  ${f.name.padEnd(18)} ${`${(f.bytes / 1e6).toFixed(2)} MB`.padStart(10)} ${`${f.importCpuMs.toFixed(0)} ms`.padStart(9)} ${`${f.importMs.toFixed(0)} ms`.padStart(9)}  ${ok ? 'ok' : 'MISSED'}${f.forbidden.length ? `  includes ${f.forbidden.join(', ')}` : ''}`,
    );
  }
  console.log('');
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchBundles();
  if (figures.some((f) => f.forbidden.length > 0)) process.exitCode = 1;
}
