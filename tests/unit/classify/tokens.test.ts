import { describe, expect, it } from 'vitest';
import { createClassifier } from '#lib/classify/classifier.ts';
import { tokenize } from '#lib/classify/tokens.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';

const words = (text: string) => tokenize(text).map((token) => token.folded);
const written = (text: string) => tokenize(text).map((token) => text.slice(token.start, token.end));

describe('tokenize', () => {
  it('reads a dotted abbreviation as one word, spanning the letters as written', () => {
    const text = 'The F.B.I. and the C.I.A.-backed U.K. unit';
    expect(words(text)).toEqual(['the', 'fbi', 'and', 'the', 'cia', 'backed', 'uk', 'unit']);
    expect(written(text)).toEqual(['The', 'F.B.I', 'and', 'the', 'C.I.A', 'backed', 'U.K', 'unit']);
  });

  it('keeps initials and lone letters that end a sentence apart', () => {
    expect(words('J. K. Rowling wrote Plan A. Then B.')).toEqual([
      'j',
      'k',
      'rowling',
      'wrote',
      'plan',
      'a',
      'then',
      'b',
    ]);
  });

  it('folds case and accents', () => {
    expect(words('Videoüberwachung in Straße')).toEqual(['videouberwachung', 'in', 'strasse']);
  });
});

describe('dotted abbreviations in stories', () => {
  const classifier = createClassifier(loadTopicPack());

  it('score like the undotted spelling', () => {
    const dotted = classifier.scoreAll({
      title: 'Senate grills F.B.I. director nominee over surveillance powers',
      summary: 'Senators pressed the nominee on the bureau’s use of Section 702.',
    });
    const plain = classifier.scoreAll({
      title: 'Senate grills FBI director nominee over surveillance powers',
      summary: 'Senators pressed the nominee on the bureau’s use of Section 702.',
    });
    expect(dotted.map((topic) => [topic.id, topic.score])).toEqual(
      plain.map((topic) => [topic.id, topic.score]),
    );
    expect(dotted.find((topic) => topic.id === 'security-services')?.evidence[0]?.phrase).toBe(
      'F.B.I. director',
    );
  });
});
