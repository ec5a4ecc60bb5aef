import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The project root (where package.json and package-lock.json live). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where a Lambda bundle finds its config files (`CIPHERWATCH_CONFIG_DIR`); /var/task is the unpacked bundle. */
export const LAMBDA_CONFIG_DIR = '/var/task/config';

/**
 * How every function is bundled, shared by the CDK function construct and `bench/bundle.ts` so the
 * bench measures exactly what is deployed. ESM bundles need `require` for the CommonJS packages esbuild
 * inlines (nodemailer, iconv-lite): the banner defines it. The AWS SDK is bundled, not taken from the
 * runtime, so Lambda runs the same SDK version the tests ran.
 */
export const BUNDLING = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // Node reads modules as UTF-8; escaping every non-ASCII character (charset tables, entities) only adds bytes.
  charset: 'utf8',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /** Packages that must never reach a Lambda bundle: local emulators and the TypeScript runner. */
  forbiddenModules: ['dynalite', 'fauxqs', 'tsx'],
} as const;

/**
 * The config files a function reads at run time (topics, the trained classifier model): topics.yaml
 * and every JSON file in config/, copied beside the bundle. Listed at synth time so the copy is exact.
 */
export function runtimeConfigFiles(configDir = path.join(PROJECT_ROOT, 'config')): string[] {
  return readdirSync(configDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && (entry.name === 'topics.yaml' || entry.name.endsWith('.json')))
    .map((entry) => entry.name)
    .sort();
}

/** The shell commands that copy the runtime config files into a bundle's output folder. */
export function copyConfigCommands(
  inputDir: string,
  outputDir: string,
  files = runtimeConfigFiles(),
): string[] {
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  return [
    `mkdir -p ${quote(path.posix.join(outputDir, 'config'))}`,
    ...files.map(
      (file) =>
        `cp ${quote(path.posix.join(inputDir, 'config', file))} ${quote(path.posix.join(outputDir, 'config', file))}`,
    ),
  ];
}

/** The handler files in functions/, each deployed as its own Lambda function. */
export function functionEntries(functionsDir = path.join(PROJECT_ROOT, 'functions')): string[] {
  return readdirSync(functionsDir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(functionsDir, file))
    .sort();
}

/**
 * The esbuild build options equivalent to the command NodejsFunction runs with `BUNDLING` (same
 * target, format, minification, source maps, main fields, banner, nothing external), for the bench and
 * the bundle tests.
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions & { metafile: true } {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: BUNDLING.format,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    charset: BUNDLING.charset,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [],
    metafile: true,
    logLevel: 'error',
  };
}

/** The forbidden packages found among a bundle's inputs (esbuild metafile input paths). */
export function forbiddenModulesIn(inputPaths: readonly string[]): string[] {
  return BUNDLING.forbiddenModules.filter((name) =>
    inputPaths.some((input) => input.includes(`node_modules/${name}/`)),
  );
}
