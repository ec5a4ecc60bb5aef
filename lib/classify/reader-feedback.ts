import { plural } from '#lib/plural.ts';

/** A reader's "not relevant" on one story in one topic, with enough of the story to learn from it. */
export interface ReaderFeedback {
  subscriberId: string;
  storyId: string;
  /** The topic the reader says the story does not belong to. */
  topicId: string;
  title: string;
  summary: string;
  /** Every topic the classifier gave the story when the reader saw it. */
  storyTopics: string[];
  /** ISO UTC. */
  recordedAt: string;
}

/** One line of the labelled corpus `eval` reads (`id`, `title`, `summary`, `labels`), with the why. */
export interface FeedbackCorpusLine {
  id: string;
  title: string;
  summary: string;
  labels: string[];
  why: string;
}

/**
 * Turns readers' feedback into labelled items: one per story, labelled with the topics the classifier
 * gave it minus every topic a reader said it does not belong to. Readers are counted, never named.
 */
export function feedbackToCorpus(feedback: readonly ReaderFeedback[]): FeedbackCorpusLine[] {
  const byStory = new Map<string, ReaderFeedback[]>();
  for (const item of feedback) byStory.set(item.storyId, [...(byStory.get(item.storyId) ?? []), item]);
  return [...byStory.values()].map((items) => {
    const first = items[0] as ReaderFeedback;
    const disputed = new Map<string, number>();
    for (const item of items) disputed.set(item.topicId, (disputed.get(item.topicId) ?? 0) + 1);
    const classified = [...new Set(items.flatMap((item) => item.storyTopics))];
    const reports = [...disputed].map(([topic, count]) => `${topic} (${plural(count, 'reader')})`).join(', ');
    return {
      id: first.storyId,
      title: first.title,
      summary: first.summary,
      labels: classified.filter((topic) => !disputed.has(topic)),
      why: `Classified as ${classified.join(', ') || 'nothing'}; readers marked it not relevant to ${reports}.`,
    };
  });
}
