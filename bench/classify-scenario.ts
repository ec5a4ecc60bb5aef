import { benchClassify } from './classify.ts';
import { round, type ScenarioResult } from './scenario.ts';

const TARGET_STORIES_PER_S = 30_000;

/** The classifier's own bench (bench/classify.ts) as a runner scenario: stories per second, one core. */
export async function benchClassifyScenario(): Promise<ScenarioResult> {
  const started = performance.now();
  const measured = await benchClassify();
  return {
    key: 'classify',
    title: `classify: the full classifier over ${measured.stories.toLocaleString('en-GB')} stories, one core`,
    figures: {
      stories_per_s: round(measured.storiesPerSecond),
      stories_per_cpu_s: round(measured.storiesPerCpuSecond),
      stories: measured.stories,
      topics: measured.topics,
      relevant: measured.relevant,
    },
    headline: ['stories_per_s', 'stories_per_cpu_s'],
    targets: [
      {
        figure: 'stories_per_s',
        target: `≥ ${TARGET_STORIES_PER_S.toLocaleString('en-GB')}`,
        met: measured.storiesPerSecond >= TARGET_STORIES_PER_S,
      },
    ],
    notes: [
      `${measured.layers}; median of ${measured.passes} passes over stories built from tests/fixtures/labelled`,
      'stories_per_s is wall clock (the target); stories_per_cpu_s counts only the CPU time this process got',
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
