import { describe, expect, it } from 'vitest';
import { loadTopicPack, parseTopicPack, TopicPackError } from '#lib/classify/topic-pack.ts';

const minimalTopic = (extra = '') => `
  - id: encryption
    name: Encryption
    description: Lawful access to encrypted data.
    signals:
      - phrases: [end-to-end encryption]
        weight: 0.9
${extra}`;

function packError(yamlText: string): TopicPackError {
  try {
    parseTopicPack(yamlText, 'config/topics.yaml');
  } catch (error) {
    if (error instanceof TopicPackError) return error;
    throw error;
  }
  throw new Error('expected the pack to be rejected');
}

describe('loadTopicPack', () => {
  it('loads the project pack with the four product topics from any working directory', () => {
    const pack = loadTopicPack();

    expect(pack.topics.map((topic) => topic.id)).toEqual([
      'encryption',
      'surveillance',
      'security-services',
      'platform-regulation',
    ]);
  });

  it('gives every project topic an alert threshold above its threshold', () => {
    const pack = loadTopicPack();

    for (const topic of pack.topics) expect(topic.alertThreshold).toBeGreaterThan(topic.threshold);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadTopicPack('/nonexistent/topics.yaml')).toThrow(
      /topics\.yaml: cannot read the topic pack \(ENOENT\)/,
    );
  });
});

describe('parseTopicPack', () => {
  it('applies the default thresholds when a topic omits them', () => {
    const pack = parseTopicPack(`version: 1\ntopics:${minimalTopic()}`, 'test.yaml');

    expect(pack.topics[0]).toMatchObject({ threshold: 0.5, alertThreshold: 0.8 });
  });

  it('names the file, the topic and the field of a weight out of range', () => {
    const error = packError(`version: 1
topics:
  - id: encryption
    name: Encryption
    description: Lawful access.
    signals:
      - phrases: [backdoor]
        weight: 0.5
      - phrases: [e2ee]
        weight: 3
`);

    expect(error.message).toBe(
      'config/topics.yaml: topic "encryption": signals[1].weight: expected a number between 0 and 1',
    );
    expect(error).toMatchObject({ topicId: 'encryption', field: 'signals[1].weight' });
  });

  it('names a topic by position when it has no id', () => {
    const error = packError('version: 1\ntopics:\n  - name: Nameless\n');

    expect(error.message).toMatch(/^config\/topics\.yaml: topics\[0\]: id: /);
  });

  it('rejects a context cue set that is not defined', () => {
    const error = packError(`version: 1\ntopics:${minimalTopic('    context:\n      sets: [nowhere]')}`);

    expect(error.message).toBe(
      'config/topics.yaml: topic "encryption": context.sets[0]: unknown cue set "nowhere"',
    );
  });

  it('rejects an unknown field so a typo does not pass silently', () => {
    const error = packError(`version: 1\ntopics:${minimalTopic('    treshold: 0.4')}`);

    expect(error.message).toBe('config/topics.yaml: topic "encryption": treshold: unknown field');
  });

  it('rejects a wildcard with too few letters to look up', () => {
    const error = packError(
      `version: 1\ntopics:${minimalTopic('      - phrases: [enc*]\n        weight: 0.2')}`.replace(
        '0.9\n',
        '0.9\n',
      ),
    );

    expect(error.message).toMatch(
      /signals\[1\]\.phrases\[0\]: "enc\*": a wildcard on the first word needs at least 4/,
    );
  });

  it('rejects an alert threshold below the threshold', () => {
    const error = packError(
      `version: 1\ntopics:${minimalTopic('    threshold: 0.6\n    alertThreshold: 0.4')}`,
    );

    expect(error.message).toBe(
      'config/topics.yaml: topic "encryption": alertThreshold: expected at least the threshold (0.6)',
    );
  });

  it('reports broken YAML with the file name', () => {
    const error = packError('version: 1\ntopics: [unclosed');

    expect(error.message).toMatch(/^config\/topics\.yaml: not valid YAML: /);
  });
});
