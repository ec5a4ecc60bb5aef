import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClassifier } from '#lib/classify/classifier.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import type { ClassifiableText } from '#lib/classify/types.ts';

const fixturePath = fileURLToPath(new URL('../tests/fixtures/labelled/stories.jsonl', import.meta.url));
const storyCount = 50_000;
const warmUpRounds = 2_000;
const passes = 5;

/** Builds N distinct stories from the project's own labelled fixtures, so the bench runs without ../shared. */
function benchStories(count: number): ClassifiableText[] {
  const base = readFileSync(fixturePath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { title: string; summary: string });
  return Array.from({ length: count }, (_, index) => {
    const { title, summary } = base[index % base.length] as ClassifiableText;
    // Varying the text keeps each story distinct while leaving its words as they are.
    return { title: `${title} (${index})`, summary: `${summary} Update ${index}.` };
  });
}

/** What one classifier measurement found, for the bench runner. */
export interface ClassifyFigures {
  storiesPerSecond: number;
  /** The same over CPU time, which a busy machine does not distort. */
  storiesPerCpuSecond: number;
  layers: string;
  stories: number;
  topics: number;
  passes: number;
  relevant: number;
}

/** Measures single-core classifier throughput on stories built from the project's fixtures and prints it. */
export async function benchClassify(): Promise<ClassifyFigures> {
  const classifier = createClassifier(loadTopicPack());
  const stories = benchStories(storyCount);
  for (let round = 0; round < warmUpRounds; round++)
    classifier.classify(stories[round % stories.length] as ClassifiableText);

  // The median of a few passes keeps one slow pass (GC, a busy machine) from deciding the figure.
  const passSeconds: number[] = [];
  const passCpuSeconds: number[] = [];
  let relevant = 0;
  for (let pass = 0; pass < passes; pass++) {
    relevant = 0;
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    for (const story of stories) if (classifier.classify(story).relevant) relevant++;
    passSeconds.push(Number(process.hrtime.bigint() - started) / 1e9);
    const cpu = process.cpuUsage(cpuStarted);
    passCpuSeconds.push((cpu.user + cpu.system) / 1e6);
  }
  const medianSeconds = passSeconds.sort((a, b) => a - b)[Math.floor(passes / 2)] as number;
  // On a shared machine the wall clock also counts time other processes held the core; CPU time does not.
  const medianCpuSeconds = passCpuSeconds.sort((a, b) => a - b)[Math.floor(passes / 2)] as number;
  const perCpuSecond = Math.round(storyCount / medianCpuSeconds).toLocaleString('en-US');

  const perSecond = Math.round(storyCount / medianSeconds).toLocaleString('en-US');
  const topics = classifier.pack.topics.length;
  // The learned layer is part of the figure whenever config/classifier-model.json is there.
  const layers = classifier.pack.model ? 'rules + learned layer' : 'rules only, no model file';
  console.log(
    `classify: ${perSecond} stories/s wall clock, ${perCpuSecond} per CPU-second (single core, N=${storyCount}, ${topics} topics, ${layers}, median of ${passes} passes, ${relevant} relevant)`,
  );
  return {
    storiesPerSecond: storyCount / medianSeconds,
    storiesPerCpuSecond: storyCount / medianCpuSeconds,
    layers,
    stories: storyCount,
    topics,
    passes,
    relevant,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchClassify();
