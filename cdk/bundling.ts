import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { compiledTopicPackFile } from '#lib/classify/compiled-pack.ts';
import { modelFileName } from '#lib/classify/model.ts';
import { compileTopicPack } from '#lib/classify/topic-pack.ts';

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

/** The files of a bundle's config folder: the compiled topic pack and the trained classifier model. */
export const BUNDLE_CONFIG_FILES = [compiledTopicPackFile, modelFileName] as const;

/**
 * Writes a bundle's config folder into `configDir`: config/topics.yaml compiled to JSON (validated, so
 * a broken pack fails here, not at the first poll) and the classifier model as it is. Bundles read
 * JSON only, which keeps the YAML parser out of them.
 */
export function writeBundleConfig(configDir: string, sourceDir = path.join(PROJECT_ROOT, 'config')): void {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    path.join(configDir, compiledTopicPackFile),
    compileTopicPack(path.join(sourceDir, 'topics.yaml')),
  );
  copyFileSync(path.join(sourceDir, modelFileName), path.join(configDir, modelFileName));
}

/** Where the synth stages the bundle config folder, relative to the project root (ignored by git). */
export const STAGED_CONFIG_DIR = 'node_modules/.cache/cipherwatch-bundle-config';

let staged = false;
/** Stages the bundle config folder once per synth; every function's bundle copies it. */
export function stageBundleConfig(): void {
  if (staged) return;
  writeBundleConfig(path.join(PROJECT_ROOT, STAGED_CONFIG_DIR));
  staged = true;
}

/** The shell commands that copy the staged config folder into a bundle's output folder. */
export function copyConfigCommands(
  inputDir: string,
  outputDir: string,
  files: readonly string[] = BUNDLE_CONFIG_FILES,
): string[] {
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  return [
    `mkdir -p ${quote(path.posix.join(outputDir, 'config'))}`,
    ...files.map(
      (file) =>
        `cp ${quote(path.posix.join(inputDir, STAGED_CONFIG_DIR, file))} ${quote(path.posix.join(outputDir, 'config', file))}`,
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
