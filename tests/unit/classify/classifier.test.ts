import { describe, expect, it } from 'vitest';
import { createClassifier } from '#lib/classify/classifier.ts';
import { loadTopicPack, parseTopicPack } from '#lib/classify/topic-pack.ts';

const projectClassifier = createClassifier(loadTopicPack());

const smallPack = parseTopicPack(
  `version: 1
scoring: { titleBoost: 1.5, withoutContext: 0.2 }
cueSets:
  state: [government, minister*]
topics:
  - id: encryption
    name: Encryption
    description: Lawful access.
    threshold: 0.5
    signals:
      - phrases: [end-to-end encryption, verschlüsselung]
        weight: 0.6
      - phrases: [backdoor*]
        weight: 0.6
        needsContext: true
      - phrases: [whatsapp]
        weight: 0.4
        supporting: true
    context:
      sets: [state]
    negatives:
      - phrases: [ransomware]
        factor: 0
    masks: [backdoor pilot]
`,
  'small.yaml',
);
const small = createClassifier(smallPack);

describe('classifier scoring', () => {
  it('scores a phrase in the title higher than the same phrase in the summary', () => {
    const inTitle = small.scoreAll({ title: 'Row over end-to-end encryption', summary: 'Details inside.' });
    const inSummary = small.scoreAll({
      title: 'Row over messaging',
      summary: 'It is about end-to-end encryption.',
    });

    expect(inTitle[0]?.score).toBe(0.9);
    expect(inSummary[0]?.score).toBe(0.6);
  });

  it('counts a context-dependent phrase fully only next to a context cue', () => {
    const alone = small.scoreAll({ title: '', summary: 'A backdoor was found.' });
    const withContext = small.scoreAll({ title: '', summary: 'The minister wants a backdoor.' });

    expect(alone[0]?.score).toBe(0.12);
    expect(withContext[0]?.score).toBe(0.6);
  });

  it('counts a supporting phrase only in part when no main signal of the topic matched', () => {
    const alone = small.scoreAll({ title: '', summary: 'WhatsApp is popular.' });
    const backingUp = small.scoreAll({ title: '', summary: 'WhatsApp adds end-to-end encryption.' });

    expect(alone[0]?.score).toBe(0.2);
    expect(backingUp[0]?.score).toBe(0.76);
  });

  it('ignores a signal inside a mask phrase but still counts the rest of the story', () => {
    const masked = small.scoreAll({ title: '', summary: 'The minister runs a backdoor pilot scheme.' });
    const maskedBesideSignal = small.scoreAll({
      title: '',
      summary: 'A backdoor pilot scheme meets end-to-end encryption.',
    });

    expect(masked[0]?.score).toBe(0);
    expect(maskedBesideSignal[0]?.evidence.map((entry) => entry.phrase)).toEqual(['end-to-end encryption']);
  });

  it('lets a negative phrase veto the topic', () => {
    const result = small.classify({ title: 'Ransomware gang adds end-to-end encryption', summary: '' });

    expect(result).toEqual({ relevant: false, topics: [] });
  });

  it('matches phrases regardless of case and accents', () => {
    const result = small.scoreAll({ title: 'VERSCHLUSSELUNG im Fokus', summary: '' });

    expect(result[0]?.evidence[0]?.phrase).toBe('VERSCHLUSSELUNG');
  });

  it('ignores HTML markup and image URLs in the summary', () => {
    const result = small.scoreAll({
      title: 'News',
      summary:
        '<img src="https://example.com/end-to-end-encryption.jpg" alt="end-to-end encryption">Nothing here.',
    });

    expect(result[0]?.score).toBe(0);
  });

  it('returns the same result for the same story every time', () => {
    const story = { title: 'Minister wants encryption backdoor', summary: 'The government insists.' };

    expect(projectClassifier.classify(story)).toEqual(projectClassifier.classify(story));
  });
});

describe('classifier evidence', () => {
  it('gives the matched phrase as written and the sentence it sits in', () => {
    const result = projectClassifier.scoreAll({
      title: 'Talks continue',
      summary:
        'Ministers met on Monday. The Home Office served Apple a technical capability notice. Apple declined.',
    });

    const encryption = result.find((topic) => topic.id === 'encryption');
    expect(encryption?.evidence[0]).toEqual({
      phrase: 'technical capability notice',
      sentence: 'The Home Office served Apple a technical capability notice.',
    });
  });

  it('keeps at most three rule phrases and two learned words per topic, and trims long sentences', () => {
    const longSentence = `${'The debate ran on and on. '.repeat(2)}${'Words '.repeat(40)}end-to-end encryption, lawful access, client-side scanning, chat control and exceptional access were all raised by the minister ${'again '.repeat(10)}.`;

    const result = projectClassifier.classify({ title: 'Encryption row', summary: longSentence });

    const encryption = result.topics.find((topic) => topic.id === 'encryption');
    const rulePhrases = encryption?.evidence.filter((entry) => !entry.learned) ?? [];
    const learnedWords = encryption?.evidence.filter((entry) => entry.learned) ?? [];
    expect(rulePhrases.length).toBe(3);
    expect(learnedWords.length).toBeLessThanOrEqual(2);
    for (const entry of encryption?.evidence ?? []) {
      expect(entry.sentence.length).toBeLessThanOrEqual(242);
      expect(entry.sentence).toContain(entry.phrase);
    }
  });
});

describe('classify', () => {
  it('lists only topics at or above threshold, highest score first', () => {
    const result = projectClassifier.classify({
      title: 'MI5 chief backs encryption backdoor demand',
      summary: 'The head of the security service said the government needs lawful access to messages.',
    });

    expect(result.relevant).toBe(true);
    expect(result.topics.map((topic) => topic.id)).toEqual(
      expect.arrayContaining(['encryption', 'security-services']),
    );
    const scores = result.topics.map((topic) => topic.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('reports every topic from scoreAll, including those below threshold', () => {
    const all = projectClassifier.scoreAll({ title: 'Clocks go forward on Sunday', summary: '' });
    const rulesOnly = small.scoreAll({ title: 'Clocks go forward on Sunday', summary: '' });

    expect(all.map((topic) => topic.id)).toEqual(projectClassifier.pack.topics.map((topic) => topic.id));
    // The learned layer gives every story some probability; far below threshold is what matters.
    for (const [index, topic] of all.entries())
      expect(topic.score).toBeLessThan((projectClassifier.pack.topics[index]?.threshold ?? 0) / 2);
    expect(rulesOnly.map((topic) => topic.score)).toEqual([0]);
  });
});

describe('project topic pack false friends', () => {
  const topicIds = (title: string, summary: string) =>
    projectClassifier.classify({ title, summary }).topics.map((topic) => topic.id);

  it('keeps a state demand for encrypted files on encryption while ransomware that encrypts files stays off', () => {
    const demand = topicIds(
      'Police demand a backdoor to cloud storage',
      'Officers want a court order to reach users’ encrypted files.',
    );
    const ransomware = topicIds(
      'Hackers hit a hospital',
      'The ransomware gang encrypts files and demands payment.',
    );

    expect(demand).toContain('encryption');
    expect(ransomware).not.toContain('encryption');
  });

  it('treats researchers breaking a gadget’s encryption as a bug, and a state plan to break it as policy', () => {
    const research = topicIds(
      'Researchers break encryption in a smart doorbell',
      'A pairing flaw exposes keys.',
    );
    const policy = topicIds('Minister’s plan would break encryption', 'The government wants to read chats.');

    expect(research).not.toContain('encryption');
    expect(policy).toContain('encryption');
  });

  it('keeps an age verification story on platform regulation when it mentions personal data', () => {
    const result = topicIds(
      'Regulator backs age verification for social media',
      'Users would prove their age without handing over personal data.',
    );

    expect(result).toContain('platform-regulation');
  });
});
