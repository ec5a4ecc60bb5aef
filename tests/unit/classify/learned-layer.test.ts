import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '#lib/classify/classifier.ts';
import {
  emitTextFeatures,
  type FeatureSink,
  featureHash,
  leadTokenCount,
  textFeatureNames,
} from '#lib/classify/features.ts';
import { guessLanguage } from '#lib/classify/language.ts';
import { hasStateAngle, toPackScale } from '#lib/classify/learned-layer.ts';
import { compileModel, defaultModelPath, ModelFileError } from '#lib/classify/model.ts';
import { tokenize } from '#lib/classify/tokens.ts';
import { defaultTopicPackPath, loadTopicPack, parseTopicPack } from '#lib/classify/topic-pack.ts';
import { defaultTrainingOptions, trainModel } from '#lib/classify/training/train-model.ts';
import { WordRows } from '#lib/classify/word-rows.ts';
import { describeWithShared } from '../../helpers/shared.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const toyPack = parseTopicPack(
  `version: 1
topics:
  - id: encryption
    name: Encryption
    description: Lawful access.
    signals:
      - phrases: [lawful access]
        weight: 0.8
  - id: surveillance
    name: Surveillance
    description: State surveillance.
    signals:
      - phrases: [wiretap*]
        weight: 0.8
`,
  'toy.yaml',
);

/** A small labelled set with a clear word pattern, so a model trained on it must find the pattern. */
function toyItems(): string {
  const lines: object[] = [];
  // 70 of each kind: the learned layer speaks a language only after 100 relevant training stories in it.
  for (let index = 0; index < 70; index++) {
    lines.push({
      id: `e${index}`,
      title: `Minister demands lawful access to encrypted chats, round ${index}`,
      summary: 'Officials want messaging apps to open encrypted conversations to the police.',
      labels: ['encryption', 'surveillance'],
    });
    lines.push({
      id: `s${index}`,
      title: `Court limits police wiretaps and phone monitoring, case ${index}`,
      summary: 'Judges said the bulk interception of calls breached privacy rights.',
      labels: ['surveillance'],
    });
    lines.push({
      id: `n${index}`,
      title: `Local bakery wins award for sourdough, year ${index}`,
      summary: 'The family business has baked bread in the village for decades.',
      labels: [],
    });
  }
  return lines.map((line) => JSON.stringify(line)).join('\n');
}

const quickOptions = { ...defaultTrainingOptions, folds: 3, epochs: 10, lambdas: [1e-3, 1e-2] };

describe('text features', () => {
  it('gives every feature the id its name hashes to, in the order the trainer names them', () => {
    const title = tokenize('Videoüberwachung: Polizei will Gesichtserkennung an Bahnhöfen');
    const summaryText = 'The back door stays shut. Officials said so.';
    const summary = tokenize(summaryText);
    const lead = leadTokenCount(summaryText, summary);
    const ids: number[] = [];
    const sink: FeatureSink = { feature: (id) => ids.push(id) };

    emitTextFeatures(title, summary, lead, sink);
    const names = textFeatureNames(title, summary, lead);

    expect(ids).toEqual(names.map(featureHash));
    expect(names).toContain('c:uberw');
    expect(names).toContain('b:back door');
    expect(names).toContain('t:door');
    expect(names).not.toContain('t:officials');
    expect(names).not.toContain('w:the');
  });

  it('reaches the same model rows on the cached hot path as the feature definition does', () => {
    const model = loadTopicPack().model;
    if (!model) throw new Error('config/classifier-model.json is missing');
    const rows = new WordRows(model.rows);
    for (const text of [
      'Home Office serves Apple a technical capability notice over end-to-end encryption',
      'Videoüberwachung: Polizei will Gesichtserkennung an Bahnhöfen ausweiten 2025',
      'A 1 b: the back door, the back door again.',
    ]) {
      const tokens = tokenize(text);
      const expected: number[] = [];
      let expectedCount = 0;
      emitTextFeatures(tokens, [], 0, {
        feature: (id) => {
          expectedCount++;
          const row = model.rows.get(id);
          if (row >= 0) expected.push(row);
        },
      });
      const reached: number[] = [];

      // Twice: the second walk comes from the cache.
      for (let round = 0; round < 2; round++) {
        reached.length = 0;
        const count = rows.walk(tokens, true, tokens.length, { row: (row) => reached.push(row) });
        expect(count).toBe(expectedCount);
        expect([...reached].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      }
    }
  });

  it('shares character pieces between a German compound and its parts', () => {
    const compound = textFeatureNames(tokenize('Videoüberwachung'), [], 0);
    const part = textFeatureNames(tokenize('Überwachung'), [], 0);

    expect(compound.filter((name) => name.startsWith('c:') && part.includes(name))).toContain('c:wachu');
  });
});

describe('training', () => {
  it('is deterministic: the same data and seed give the same model file byte for byte', () => {
    const sources = [{ name: 'toy.jsonl', text: toyItems() }];

    const first = trainModel(toyPack, 'toy pack', sources, quickOptions);
    const second = trainModel(toyPack, 'toy pack', sources, quickOptions);

    expect(first.json).toBe(second.json);
  });

  it('records the penalty and threshold cross-validation chose, with the figures that chose them', () => {
    const { model } = trainModel(
      toyPack,
      'toy pack',
      [{ name: 'toy.jsonl', text: toyItems() }],
      quickOptions,
    );

    expect(model.outputs.map((output) => output.id)).toEqual(['relevant', 'encryption', 'surveillance']);
    for (const output of model.outputs) {
      expect(output.crossValidation.lambdas.map((entry) => entry.lambda)).toEqual([1e-3, 1e-2]);
      expect(quickOptions.lambdas).toContain(output.crossValidation.lambda);
      expect(output.crossValidation.threshold.precision).toBeGreaterThan(0);
    }
    expect(model.trainedWith.sources).toEqual([expect.objectContaining({ name: 'toy.jsonl', items: 210 })]);
    expect(model.trainedWith.referenceRelevantShare).toBe(quickOptions.referenceRelevantShare);
  });

  it('learns words that separate the topics, and the classifier uses them with their evidence', () => {
    const { model } = trainModel(
      toyPack,
      'toy pack',
      [{ name: 'toy.jsonl', text: toyItems() }],
      quickOptions,
    );
    const classifier = createClassifier({ ...toyPack, model: compileModel(model, 'toy model') });

    const policy = classifier.classify({
      title: 'Minister demands lawful access to encrypted chats',
      summary: 'Officials want apps to open encrypted conversations.',
    });
    const bread = classifier.classify({ title: 'Bakery wins award', summary: 'Bread in the village.' });

    expect(policy.topics.map((topic) => topic.id)).toContain('encryption');
    const encryption = policy.topics.find((topic) => topic.id === 'encryption');
    expect(encryption?.evidence).toContainEqual(expect.objectContaining({ phrase: 'lawful access' }));
    expect(encryption?.evidence.filter((entry) => entry.learned).length).toBeGreaterThan(0);
    expect(bread.relevant).toBe(false);
  });

  it('gives each training file its out-of-fold figures, and names the stories the verdict got wrong', () => {
    // Worded like the toy's bakery stories, but labelled as encryption news: a labelling slip.
    const mislabelled = JSON.stringify({
      id: 'bakery',
      title: 'Local bakery wins award for sourdough, year 200',
      summary: 'The family business has baked bread in the village for decades.',
      labels: ['encryption'],
    });
    const { model, mistakes } = trainModel(
      toyPack,
      'toy pack',
      [
        { name: 'toy.jsonl', text: toyItems() },
        { name: 'suspect.jsonl', text: `${mislabelled}\n` },
      ],
      quickOptions,
    );

    expect(model.crossValidated.bySource.map(({ name, items }) => [name, items])).toEqual([
      ['toy.jsonl', 210],
      ['suspect.jsonl', 1],
    ]);
    expect(model.crossValidated.bySource[1]).toMatchObject({ recall: 0 });
    expect(mistakes).toContainEqual({
      source: 'suspect.jsonl',
      item: expect.objectContaining({ id: 'bakery' }),
      verdict: false,
    });
  });

  it('refuses labels that name no topic of the pack', () => {
    const text = JSON.stringify({ id: 'x', title: 't', summary: '', labels: ['crypto'] });

    expect(() => trainModel(toyPack, 'toy pack', [{ name: 'bad.jsonl', text }], quickOptions)).toThrow(
      'bad.jsonl, line 1: unknown topic "crypto"',
    );
  });
});

describe('combined verdict', () => {
  it('maps the model thresholds onto the topic and alert thresholds, so scores keep their meaning', () => {
    const model = { threshold: 0.2, alertThreshold: 0.6 };
    const pack = { threshold: 0.5, alertThreshold: 0.8 };

    expect(toPackScale(0.2, model, pack)).toBe(0.5);
    expect(toPackScale(0.1, model, pack)).toBe(0.25);
    expect(toPackScale(0.6, model, pack)).toBeCloseTo(0.8, 10);
    expect(toPackScale(0.4, model, pack)).toBeCloseTo(0.65, 10);
    expect(toPackScale(1, model, pack)).toBe(1);
  });

  it('lets a topic say yes below its alert level only with a state angle: a context cue and no negative cue', () => {
    const classifier = createClassifier(loadTopicPack());
    const encryption = classifier.pack.topics.findIndex((topic) => topic.id === 'encryption');
    const review = {
      title: "Hands-on: the new phone's encryption chip",
      summary: 'Battery life is the weak point.',
    };
    const demand = {
      title: 'Minister demands access to encrypted phones',
      summary: 'The government wants police to be able to read messages.',
    };

    expect(hasStateAngle(classifier.scanRules(review), encryption)).toBe(false);
    expect(hasStateAngle(classifier.scanRules(demand), encryption)).toBe(true);
    expect(classifier.classify(review).topics.map((topic) => topic.id)).not.toContain('encryption');
    expect(classifier.classify(demand).topics.map((topic) => topic.id)).toContain('encryption');
  });

  it('rejects a model file that is not one, naming the file', () => {
    expect(() => compileModel({ format: 'other' }, 'config/x.json')).toThrow(ModelFileError);
    expect(() => compileModel({ format: 'other' }, 'config/x.json')).toThrow(/config\/x\.json/);
  });
});

describe('languages', () => {
  const pack = parseTopicPack(
    `version: 1
topics:
  - id: surveillance
    name: Surveillance
    description: State surveillance.
    signals:
      - phrases: [reconnaissance faciale, facial recognition]
        weight: 0.8
    negatives:
      - phrases: [reconnaissance]
        factor: 0
        language: en
`,
    'languages.yaml',
  );
  const classifier = createClassifier(pack);

  it('keeps an English false friend from cancelling a French signal', () => {
    const french = classifier.classify({
      title: 'Reconnaissance faciale : le gouvernement veut prolonger les essais',
      summary: 'Le ministre souhaite pérenniser la vidéosurveillance dans les transports.',
    });
    const english = classifier.classify({
      title: 'Drone reconnaissance over the border uses facial recognition',
      summary: 'The army said the flights are routine.',
    });

    expect(french.topics.map((topic) => topic.id)).toEqual(['surveillance']);
    expect(english.relevant).toBe(false);
  });

  it('trusts the feed language over the guess', () => {
    const tagged = classifier.classify({
      title: 'Reconnaissance faciale',
      summary: '',
      language: 'fr-FR',
    });

    expect(tagged.relevant).toBe(true);
  });

  it('guesses the language from function words, and declines to guess from too few', () => {
    expect(guessLanguage(tokenize('Die Polizei und der Verfassungsschutz dürfen mehr'))).toBe('de');
    expect(guessLanguage(tokenize('Le gouvernement et les plateformes'))).toBe('fr');
    expect(guessLanguage(tokenize('El Gobierno y las plataformas'))).toBe('es');
    expect(guessLanguage(tokenize('The government and the platforms'))).toBe('en');
    expect(guessLanguage(tokenize('Chatkontrolle'))).toBeUndefined();
  });
});

describe('the committed model', () => {
  // Every function parses the model once per cold start, beside its bundle: at 1.2 MB (20,000 features)
  // that costs about 25 ms of the import time `npx tsx bench/bundle.ts` reports; 1.5 MB keeps it small.
  it('is compact enough to load at every cold start (under 1.5 MB)', () => {
    expect(statSync(defaultModelPath).size).toBeLessThan(1536 * 1024);
  });

  it('was trained with the current topic pack (retrain after editing config/topics.yaml)', () => {
    const packHash = createHash('sha256').update(readFileSync(defaultTopicPackPath, 'utf8')).digest('hex');

    expect(loadTopicPack().model?.file.trainedWith.packSha256).toBe(packHash);
  });
});

describeWithShared('corpus/dev.jsonl', 'the committed model and the training data', () => {
  // Training takes about a minute and a half alone, and longer beside the rest of the suite on two cores.
  it('is what `npm run train` produces today, byte for byte', { timeout: 360_000 }, () => {
    // The training script's own sources: the shared dev corpus and the project's own examples.
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });

    expect(output).toContain('matches a fresh training run');
  });
});
