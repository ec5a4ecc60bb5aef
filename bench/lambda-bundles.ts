import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { median, progress, round, type ScenarioResult } from './scenario.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 300;
const IMPORT_RUNS = 5;
/** Packages that must never reach a Lambda bundle: the local emulators and the TypeScript runner. */
const LOCAL_ONLY = ['dynalite', 'fauxqs', 'tsx'];

/** The esbuild options the CDK function construct bundles each function with (ESM, minified, Node 24). */
function bundleOptions(entry: string, outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    mainFields: ['module', 'main'],
    // ESM bundles need `require` for the CommonJS packages esbuild inlines (nodemailer, iconv-lite).
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'error',
  };
}

/** Milliseconds a fresh Node process spends importing the bundle (module evaluation, no invocation). */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    // What Lambda's environment gives a function; nothing from this shell.
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      // Lambda's Node 24 is supported by the SDK; this machine's Node may draw a warning that Lambda never prints.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  return Number(output);
}

/**
 * Bundles each `functions/*.ts` as the CDK app deploys it and measures its size and the cold import
 * a fresh Node process pays (median of five), against < 1 MB and < 300 ms.
 */
export async function benchBundles(): Promise<ScenarioResult> {
  const started = performance.now();
  const outDir = path.join(ROOT, 'node_modules', '.cache', 'cipherwatch-bench-bundles');
  rmSync(outDir, { recursive: true, force: true });
  // Bundles sit two folders below a copy of config/, where the topic pack's path resolves to.
  cpSync(path.join(ROOT, 'config'), path.join(outDir, 'config'), { recursive: true });
  const entries = readdirSync(path.join(ROOT, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const bytes: Record<string, number> = {};
  const importMs: Record<string, number> = {};
  const localOnly: Record<string, string[]> = {};
  for (const file of entries) {
    const name = path.basename(file, '.ts');
    const outfile = path.join(outDir, name, 'bundle', 'index.mjs');
    mkdirSync(path.dirname(outfile), { recursive: true });
    const result = await build(bundleOptions(path.join(ROOT, 'functions', file), outfile));
    const inputs = Object.keys(result.metafile.inputs);
    localOnly[name] = LOCAL_ONLY.filter((pkg) =>
      inputs.some((input) => input.includes(`node_modules/${pkg}/`)),
    );
    bytes[name] = statSync(outfile).size;
    importMs[name] = round(median(Array.from({ length: IMPORT_RUNS }, () => coldImportMs(outfile))), 1);
    progress(`bundle: ${name} ${(bytes[name] / 1024).toFixed(0)} KiB, cold import ${importMs[name]} ms`);
  }
  const names = Object.keys(bytes);
  return {
    key: 'bundle',
    title: 'bundle: each Lambda function bundled as the CDK app deploys it',
    figures: { bytes, cold_import_ms: importMs, local_only_packages: localOnly },
    headline: names.flatMap((name) => [`bytes.${name}`, `cold_import_ms.${name}`]),
    targets: names.flatMap((name) => [
      { figure: `bytes.${name}`, target: '< 1 MB', met: (bytes[name] ?? 0) < SIZE_TARGET_BYTES },
      {
        figure: `cold_import_ms.${name}`,
        target: `< ${IMPORT_TARGET_MS}`,
        met: (importMs[name] ?? 0) < IMPORT_TARGET_MS,
      },
    ]),
    notes: [
      'esbuild: ESM, minified, platform node, target node24, AWS SDK bundled (as the CDK construct does)',
      `cold import: a fresh Node process importing the bundle (module evaluation and createApp, no invocation), median of ${IMPORT_RUNS}`,
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
