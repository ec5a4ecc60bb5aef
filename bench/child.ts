// Runs one scenario in a fresh process for the runner (bench/run.ts) and sends its result back over IPC.
// A process per scenario keeps one scenario's heap, JIT state and peak memory out of the next one's figures.
import type { ScenarioKey, ScenarioOptions, ScenarioResult } from './scenario.ts';

type Scenario = (options: ScenarioOptions) => Promise<ScenarioResult>;

const scenarios: Record<Exclude<ScenarioKey, 'cost'>, () => Promise<Scenario>> = {
  ingest: async () => (await import('./ingest.ts')).benchIngest,
  classify: async () => (await import('./classify-scenario.ts')).benchClassifyScenario,
  poll: async () => (await import('./poll.ts')).benchPoll,
  digest: async () => (await import('./digest-round.ts')).benchDigestRound,
  bundle: async () => (await import('./lambda-bundles.ts')).benchBundles,
};

const [key, optionsJson] = process.argv.slice(2);
const load = scenarios[key as keyof typeof scenarios];
if (!load || !process.send) {
  process.stderr.write(`bench/child.ts runs one scenario for bench/run.ts; got ${JSON.stringify(key)}.\n`);
  process.exit(2);
}
const result = await (await load())(JSON.parse(optionsJson ?? '{"scale":1}') as ScenarioOptions);
process.send(result, () => process.exit(0));
