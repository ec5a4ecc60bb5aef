// `npm run bench`: every speed and capacity figure in one run, each scenario in a fresh process.
//   npm run bench                      readable table on stdout, a progress line per scenario on stderr
//   npm run bench -- --json            one JSON object on stdout (progress still on stderr)
//   npm run bench -- --only poll       one scenario (ingest, classify, poll, digest, bundle, cost)
//   npm run bench -- --scale 0.1       a tenth of the sizes, for a quick look while developing
//   npm run bench -- --cpu-prof        also write a V8 CPU profile per scenario (path printed)
// Figures vary with the machine's load: run it on a quiet machine and compare like with like.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCost } from './cost.ts';
import { formatReport } from './report.ts';
import { SCENARIO_KEYS, type ScenarioKey, type ScenarioOptions, type ScenarioResult } from './scenario.ts';

class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      scale: { type: 'string', default: '1' },
      'cpu-prof': { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const only = values.only;
  if (only !== undefined && !(SCENARIO_KEYS as readonly string[]).includes(only)) {
    throw new BenchUsageError(
      `--only takes one of ${SCENARIO_KEYS.join(', ')}; got ${JSON.stringify(only)}.`,
    );
  }
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1))
    throw new BenchUsageError(`--scale takes a number in (0, 1]; got ${values.scale}.`);
  return { json: values.json, only: only as ScenarioKey | undefined, scale, cpuProf: values['cpu-prof'] };
}

/** Runs one scenario in a fresh Node process; its own output goes to our stderr as progress. */
function runInChild(key: ScenarioKey, options: ScenarioOptions, profileDir: string | undefined) {
  const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));
  const profile = profileDir
    ? // One folder per scenario: the main thread and the emulators' worker thread each write a profile.
      ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, key)]
    : [];
  return new Promise<ScenarioResult>((resolve, reject) => {
    const child = fork(childPath, [key, JSON.stringify(options)], {
      execArgv: ['--import', 'tsx', ...profile],
      stdio: ['ignore', 2, 2, 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let result: ScenarioResult | undefined;
    child.on('message', (message: ScenarioResult) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`The ${key} scenario stopped (exit code ${code}) before reporting its figures.`));
    });
  });
}

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions();
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(1);
}
const benchStarted = performance.now();
const wanted: ScenarioKey[] = options.only ? [options.only] : [...SCENARIO_KEYS];
// Cost is priced from the requests the poll and digest rounds counted, so it needs them measured.
const toRun = wanted.includes('cost')
  ? [...new Set<ScenarioKey>([...wanted.filter((k) => k !== 'cost'), 'poll', 'digest', 'cost'])]
  : wanted;
const profileDir = options.cpuProf
  ? path.join(tmpdir(), `cipherwatch-bench-profiles-${Date.now()}`)
  : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const machine = {
  node: process.version,
  platform: `${process.platform} ${release()} ${process.arch}`,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  free_memory_gb: Math.round(freemem() / 2 ** 30),
  /** Other work on the machine when the run started: figures are only comparable at similar load. */
  load_average_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
};
process.stderr.write(
  `Cipherwatch bench: ${toRun.join(', ')}${options.scale === 1 ? '' : ` at scale ${options.scale}`} ` +
    `(Node ${machine.node}, ${machine.cores} × ${machine.cpu})\n`,
);

const results: Partial<Record<ScenarioKey, ScenarioResult>> = {};
let failed = false;
for (const [index, key] of toRun.entries()) {
  process.stderr.write(`[${index + 1}/${toRun.length}] ${key}\n`);
  const scenarioOptions: ScenarioOptions = { scale: options.scale, measured: results };
  try {
    results[key] =
      key === 'cost'
        ? await benchCost(scenarioOptions)
        : await runInChild(key, { scale: options.scale }, profileDir);
    const done = results[key];
    const missed = done?.targets.filter((t) => !t.met).map((t) => t.figure) ?? [];
    process.stderr.write(
      `[${index + 1}/${toRun.length}] ${key} done in ${done?.seconds.toFixed(1)} s` +
        `${missed.length ? ` (target missed: ${missed.join(', ')})` : ''}\n`,
    );
  } catch (error) {
    failed = true;
    process.stderr.write(`[${index + 1}/${toRun.length}] ${key} failed: ${(error as Error).message}\n`);
  }
}

const report = {
  machine,
  started_at: new Date(Date.now() - (performance.now() - benchStarted)).toISOString(),
  duration_s: Math.round((performance.now() - benchStarted) / 100) / 10,
  scale: options.scale,
  command: `npm run bench --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  ...Object.fromEntries(
    toRun.flatMap((key) => {
      const result = results[key];
      return result
        ? [[key, { title: result.title, ...result.figures, targets: result.targets, notes: result.notes }]]
        : [];
    }),
  ),
  targets_missed: toRun.flatMap((key) =>
    (results[key]?.targets ?? []).filter((t) => !t.met).map((t) => `${key}.${t.figure} (target ${t.target})`),
  ),
};
if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else
  process.stdout.write(
    formatReport(
      toRun.flatMap((key) => results[key] ?? []),
      machine,
      report.duration_s,
    ),
  );
if (profileDir) process.stderr.write(`CPU profiles: ${profileDir} (open in Chrome DevTools or speedscope)\n`);
if (failed) process.exitCode = 1;
