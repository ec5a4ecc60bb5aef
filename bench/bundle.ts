// Bundles every Lambda function exactly as the CDK app does (cdk/bundling.ts) and reports its minified
// size and cold import time: a fresh Node process importing the bundle, median of several runs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  esbuildOptionsFor,
  forbiddenModulesIn,
  functionEntries,
  PROJECT_ROOT,
  runtimeConfigFiles,
} from '../cdk/bundling.ts';

const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 300;
const IMPORT_RUNS = 5;

export interface BundleFigures {
  name: string;
  bytes: number;
  importMs: number;
  forbidden: string[];
}

/** Builds one function's bundle (with its config files) under `outDir`; returns the bundle's path. */
async function bundle(entry: string, outDir: string): Promise<{ file: string; inputs: string[] }> {
  const dir = path.join(outDir, path.basename(entry, '.ts'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  const file = path.join(dir, 'index.mjs');
  const result = await build(esbuildOptionsFor(entry, file));
  for (const config of runtimeConfigFiles()) {
    copyFileSync(path.join(PROJECT_ROOT, 'config', config), path.join(dir, 'config', config));
  }
  return { file, inputs: Object.keys(result.metafile.inputs) };
}

/** Milliseconds a fresh Node process spends importing the bundle (module evaluation, no invocation). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
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
  return Number(output);
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
    const runs = Array.from({ length: IMPORT_RUNS }, () => coldImportMs(file));
    figures.push({
      name: path.basename(entry, '.ts'),
      bytes: statSync(file).size,
      importMs: median(runs),
      forbidden: forbiddenModulesIn(inputs),
    });
  }
  console.log(
    `Lambda bundles (esbuild, as deployed; targets < ${SIZE_TARGET_BYTES / 1e6} MB, < ${IMPORT_TARGET_MS} ms cold import)`,
  );
  for (const f of figures) {
    const ok = f.bytes < SIZE_TARGET_BYTES && f.importMs < IMPORT_TARGET_MS && f.forbidden.length === 0;
    console.log(
      `  ${f.name.padEnd(18)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB  ${f.importMs.toFixed(0).padStart(4)} ms  ${ok ? 'ok' : 'MISSED'}${f.forbidden.length ? `  includes ${f.forbidden.join(', ')}` : ''}`,
    );
  }
  console.log('');
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchBundles();
  if (figures.some((f) => f.forbidden.length > 0)) process.exitCode = 1;
}
