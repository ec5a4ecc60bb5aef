import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '#lib/classify/classifier.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import { registerClassifyCommand, runClassify } from '#lib/cli/commands/classify.ts';
import {
  assertScorable,
  formatComparison,
  formatEvaluation,
  NothingToScoreError,
  registerEvalCommand,
  runEval,
  trainedOnFile,
} from '#lib/cli/commands/eval.ts';

const classifier = createClassifier(loadTopicPack());

async function classifyLines(lines: string[]): Promise<{ outputs: unknown[]; counts: object }> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const counts = await runClassify(Readable.from([lines.join('\n')]), output, classifier);
  const outputs = chunks
    .join('')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
  return { outputs, counts };
}

describe('classify command', () => {
  it('writes one JSON line per story with relevance and topics at or above threshold', async () => {
    const { outputs } = await classifyLines([
      JSON.stringify({ id: 'a', title: 'GCHQ chief warns of state hackers', summary: '' }),
      JSON.stringify({ id: 'b', title: 'Lottery results for Saturday', summary: 'No jackpot winner.' }),
    ]);

    expect(outputs).toEqual([
      { id: 'a', relevant: true, topics: [expect.objectContaining({ id: 'security-services' })] },
      { id: 'b', relevant: false, topics: [] },
    ]);
  });

  it('answers a malformed line with its line number and still classifies the rest', async () => {
    const { outputs, counts } = await classifyLines([
      JSON.stringify({ id: 'a', title: 'Weather', summary: '' }),
      '',
      '{not json',
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 'd', title: 'Clocks go forward', summary: '' }),
    ]);

    expect(outputs).toEqual([
      { id: 'a', relevant: false, topics: [] },
      { line: 3, error: expect.stringMatching(/^not valid JSON/) },
      { line: 4, error: 'expected "title" to be text' },
      { id: 'd', relevant: false, topics: [] },
    ]);
    expect(counts).toEqual({ classified: 2, failed: 2 });
  });

  it('says a JSON line that is not an object should be one, with an example', async () => {
    const { outputs } = await classifyLines(['[1, 2]', '"a story"']);

    expect(outputs).toEqual([
      { line: 1, error: 'expected a JSON object such as {"id": "1", "title": "…", "summary": "…"}' },
      { line: 2, error: 'expected a JSON object such as {"id": "1", "title": "…", "summary": "…"}' },
    ]);
  });

  it('registers a classify command with an --input option', () => {
    const program = new Command();

    registerClassifyCommand(program);

    const command = program.commands.find((entry) => entry.name() === 'classify');
    expect(command?.options.map((option) => option.long)).toContain('--input');
  });
});

describe('eval command', () => {
  const labelled = [
    { id: '1', title: 'MI6 chief warns of Russian sabotage', summary: '', labels: ['security-services'] },
    {
      id: '2',
      title: 'Ofcom enforces Online Safety Act age checks',
      summary: '',
      labels: ['platform-regulation'],
    },
    { id: '3', title: 'New phone has a bigger battery', summary: '', labels: [] },
    { id: '4', title: 'Police expand live facial recognition', summary: '', labels: ['encryption'] },
    { id: '5', title: 'Unclear story', summary: '', labels: ['surveillance'], uncertain: true },
  ];

  it('scores labelled lines, leaves out uncertain ones and reports mistakes', async () => {
    const input = Readable.from([labelled.map((item) => JSON.stringify(item)).join('\n')]);

    const { report, skipped } = await runEval(input, classifier);

    expect(skipped).toEqual([]);
    expect(report.scored).toBe(4);
    expect(report.skippedUncertain).toBe(1);
    expect(report.relevant).toMatchObject({ precision: 1, recall: 1 });
    expect(report.falseNegatives.map((mistake) => [mistake.id, mistake.topic])).toEqual([
      ['4', 'encryption'],
    ]);
    expect(report.falsePositives.map((mistake) => [mistake.id, mistake.topic])).toEqual([
      ['4', 'surveillance'],
    ]);
  });

  it('prints a table with precision, recall, F1 and support, then the mistakes with their evidence', async () => {
    const input = Readable.from([labelled.map((item) => JSON.stringify(item)).join('\n')]);
    const { report } = await runEval(input, classifier);

    const text = formatEvaluation(report);

    expect(text).toMatch(/topic\s+P\s+R\s+F1\s+n/);
    expect(text).toMatch(/relevant\s+1\.00\s+1\.00\s+1\.00\s+3/);
    expect(text).toContain('False positives (1)');
    expect(text).toContain('matched "live facial recognition" in: Police expand live facial recognition');
  });

  it('collects unreadable lines instead of stopping', async () => {
    const input = Readable.from(['{"id":"x","title":"t","summary":""}\n{"id":"y","title":"t"}\nnope\n']);

    const { skipped } = await runEval(input, classifier);

    expect(skipped).toEqual([
      { line: 1, error: 'expected "labels" to be a list of topic ids' },
      { line: 2, error: 'expected "labels" to be a list of topic ids' },
      { line: 3, error: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it('registers an eval command with a --json option', () => {
    const program = new Command();

    registerEvalCommand(program);

    const command = program.commands.find((entry) => entry.name() === 'eval');
    expect(command?.options.map((option) => option.long)).toEqual(
      expect.arrayContaining(['--json', '--topics']),
    );
  });
});

describe('eval command across files and languages', () => {
  const lines = (items: object[]) => Readable.from([items.map((item) => JSON.stringify(item)).join('\n')]);
  const tuned = [
    { id: 't1', title: 'MI6 chief warns of Russian sabotage', summary: '', labels: ['security-services'] },
    { id: 't2', title: 'New phone has a bigger battery', summary: '', labels: [] },
  ];
  const unseen = [
    {
      id: 'u1',
      title: 'Ofcom enforces Online Safety Act age checks',
      summary: '',
      labels: ['platform-regulation'],
      language: 'en',
    },
    {
      id: 'u2',
      title: 'Der Wetterdienst warnt vor Sturm an der Küste',
      summary: '',
      labels: [],
      language: 'de',
    },
    {
      id: 'u3',
      title: 'Polizei darf Staatstrojaner gegen Einbrecher einsetzen',
      summary: 'Die Quellen-Telekommunikationsüberwachung wird ausgeweitet.',
      labels: ['surveillance'],
      language: 'de',
    },
    { id: 'u4', title: 'Bakery opens a second shop', summary: '', labels: ['encryption'], language: 'en' },
  ];

  it('puts files side by side with the F1 gap to the first, and rows per language', async () => {
    const first = await runEval(lines(tuned), classifier);
    const second = await runEval(lines(unseen), classifier);

    const text = formatComparison([
      { name: 'tuned.jsonl', ...first },
      { name: 'unseen.jsonl', ...second },
    ]);

    expect(text).toMatch(/tuned\.jsonl\s+unseen\.jsonl/);
    expect(text).toMatch(/topic(\s+P\s+R\s+F1\s+n){2}\s+F1 gap/);
    const gap = second.report.relevant.f1 - first.report.relevant.f1;
    const relevantRow = text.split('\n').find((line) => line.startsWith('relevant '));
    expect(relevantRow?.trim().endsWith(`${gap >= 0 ? '+' : '−'}${Math.abs(gap).toFixed(2)}`)).toBe(true);
    // The unseen set has no security-services story: its F1 is undefined, so no gap is shown.
    const securityRow = text.split('\n').find((line) => line.startsWith('security-services '));
    expect(securityRow).toMatch(/—\s+0$/);
    expect(text).toContain('relevant, by language');
    expect(text).toMatch(/^ {2}de\s/m);
    expect(text).toMatch(/^ {2}en\s/m);
    expect(second.report.languages.map((entry) => [entry.language, entry.scored])).toEqual([
      ['en', 2],
      ['de', 2],
    ]);
  });

  it('lists confusions: what a story was labelled and what it was classified as', async () => {
    const { report, skipped } = await runEval(lines(unseen), classifier);

    expect(report.confusion).toContainEqual({ labelled: 'encryption', predicted: 'none', count: 1 });
    expect(formatComparison([{ name: 'unseen.jsonl', report, skipped }])).toContain(
      'labelled encryption, classified (no topic)',
    );
  });

  it('says when the model learned from a file, so its figures are in-sample, with its out-of-fold figures', async () => {
    const model = classifier.pack.model?.file;
    const trainedText = readFileSync('tests/fixtures/labelled/stories.jsonl', 'utf8');
    const trainedOn = trainedOnFile(model, trainedText);
    const { report, skipped } = await runEval(Readable.from([trainedText]), classifier);

    expect(trainedOn).toEqual({
      source: 'tests/fixtures/labelled/stories.jsonl',
      outOfFold: expect.objectContaining({ f1: expect.any(Number) }),
    });
    expect(trainedOnFile(model, readFileSync('tests/fixtures/labelled/blind.jsonl', 'utf8'))).toBeUndefined();
    expect(formatComparison([{ name: 'stories.jsonl', report, skipped, trainedOn }])).toMatch(
      /The model learned from this file \(tests\/fixtures\/labelled\/stories\.jsonl\), so its figures below are in-sample; out of fold, .*relevant P \d\.\d\d, R \d\.\d\d, F1 \d\.\d\d\./,
    );
  });

  it('refuses a file with no scorable item instead of printing a perfect score', async () => {
    const empty = await runEval(Readable.from(['']), classifier);
    const unreadable = await runEval(Readable.from(['{"id":"a"}\nnot json\n']), classifier);
    const allUncertain = await runEval(
      lines([{ id: 'x', title: 'Unclear', summary: '', labels: [], uncertain: true }]),
      classifier,
    );

    expect(() => assertScorable('empty.jsonl', empty.report, empty.skipped)).toThrow(NothingToScoreError);
    expect(() => assertScorable('bad.jsonl', unreadable.report, unreadable.skipped)).toThrow(
      'bad.jsonl: no item could be scored (2 unreadable lines, first: line 1: expected "title" to be text)',
    );
    expect(() => assertScorable('unsure.jsonl', allUncertain.report, allUncertain.skipped)).toThrow(
      /1 marked uncertain/,
    );
  });
});
