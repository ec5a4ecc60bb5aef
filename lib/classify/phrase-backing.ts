import { toPlainText } from '#lib/plain-text.ts';
import { PhraseIndex, type PhraseMatchSink } from './phrase-index.ts';
import { tokenize } from './tokens.ts';
import type { TopicPack } from './topic-pack.ts';
import type { ClassifiableText } from './types.ts';

/** A signal phrase of the pack and how many labelled stories on its topic contain it. */
export interface PhraseBacking {
  topic: string;
  phrase: string;
  /** Labelled stories of the phrase's topic that contain it. */
  backing: number;
  /** The group's written reason for standing with little backing, if any. */
  reason: string | undefined;
}

interface PhraseRef {
  key: number;
}

class HitSet implements PhraseMatchSink<PhraseRef> {
  readonly keys = new Set<number>();
  match(target: PhraseRef): void {
    this.keys.add(target.key);
  }
}

/**
 * Counts, for every signal phrase, the labelled stories of its topic that contain it: a phrase resting on
 * one story is a fact learned about that story, not about how news is written.
 */
export function phraseBacking(
  pack: TopicPack,
  items: Iterable<ClassifiableText & { labels: readonly string[] }>,
): PhraseBacking[] {
  const index = new PhraseIndex<PhraseRef>();
  const phrases: PhraseBacking[] = [];
  for (const topic of pack.topics)
    for (const group of topic.signals)
      for (const phrase of group.phrases) {
        index.add(phrase, { key: phrases.length });
        phrases.push({ topic: topic.id, phrase, backing: 0, reason: group.reason });
      }
  for (const item of items) {
    const hits = new HitSet();
    index.scan(tokenize(toPlainText(item.title)), hits);
    index.scan(tokenize(toPlainText(item.summary)), hits);
    for (const key of hits.keys) {
      const entry = phrases[key] as PhraseBacking;
      if (item.labels.includes(entry.topic)) entry.backing++;
    }
  }
  return phrases;
}
