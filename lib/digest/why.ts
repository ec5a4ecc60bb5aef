import type { TopicMatch } from '#lib/classify/types.ts';
import { foldWhitespace, truncate } from '#lib/plain-text.ts';

const MAX_SENTENCE = 180;
const MAX_PHRASES = 3;

/**
 * A one-line reason a story matched a topic, from the classifier's evidence:
 * `Matched "end-to-end encryption", "Home Office" in: “The home secretary …”`.
 */
export function explainMatch(match: TopicMatch, topicName: string): string {
  const [first] = match.evidence;
  if (!first) return `Classified under ${topicName} (score ${match.score.toFixed(2)}).`;
  const phrases: string[] = [];
  for (const evidence of match.evidence) {
    if (evidence.sentence !== first.sentence || phrases.length >= MAX_PHRASES) continue;
    const phrase = truncate(foldWhitespace(evidence.phrase), 60);
    if (phrase && !phrases.includes(phrase)) phrases.push(phrase);
  }
  const quoted = phrases.map((phrase) => `"${phrase}"`).join(', ');
  const sentence = truncate(foldWhitespace(first.sentence), MAX_SENTENCE);
  return sentence ? `Matched ${quoted} in: “${sentence}”` : `Matched ${quoted}.`;
}
