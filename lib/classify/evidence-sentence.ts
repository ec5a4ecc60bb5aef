const sentenceEnd = /[.!?。]["'”’)]*\s|\n/g;

/** Longest sentence shown as evidence; longer ones are cut to a window around the phrase. */
export const maxSentenceLength = 240;

/** The sentence of `text` holding the characters `start`..`end`, trimmed to about 240 characters. */
export function sentenceAround(text: string, start: number, end: number): string {
  let from = 0;
  let to = text.length;
  sentenceEnd.lastIndex = 0;
  for (let found = sentenceEnd.exec(text); found; found = sentenceEnd.exec(text)) {
    const boundary = found.index + found[0].length;
    if (boundary <= start) from = boundary;
    else if (found.index >= end) {
      to = found.index + found[0].trimEnd().length;
      break;
    }
  }
  const sentence = text.slice(from, to).trim();
  if (sentence.length <= maxSentenceLength) return sentence;
  // Centre the window on the phrase so the reader sees it in its surroundings.
  const phraseMiddle = (start + end) / 2 - from;
  const windowStart = Math.max(
    0,
    Math.min(sentence.length - maxSentenceLength, phraseMiddle - maxSentenceLength / 2),
  );
  const window = sentence.slice(windowStart, windowStart + maxSentenceLength).trim();
  const head = windowStart > 0 ? '…' : '';
  const tail = windowStart + maxSentenceLength < sentence.length ? '…' : '';
  return `${head}${window}${tail}`;
}
