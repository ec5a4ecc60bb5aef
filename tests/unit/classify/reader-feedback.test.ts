import { describe, expect, it } from 'vitest';
import { labelledItemSchema } from '#lib/classify/labelled-item.ts';
import { feedbackToCorpus, type ReaderFeedback } from '#lib/classify/reader-feedback.ts';

const feedback = (
  subscriberId: string,
  storyId: string,
  topicId: string,
  storyTopics: string[],
): ReaderFeedback => ({
  subscriberId,
  storyId,
  topicId,
  title: `Title of ${storyId}`,
  summary: `Summary of ${storyId}`,
  storyTopics,
  recordedAt: '2026-11-30T10:00:00.000Z',
});

describe('feedbackToCorpus', () => {
  it('labels each story with its classified topics minus those readers disputed, counting readers', () => {
    const lines = feedbackToCorpus([
      feedback('reader-1', 's1', 'encryption', ['encryption', 'surveillance']),
      feedback('reader-2', 's1', 'encryption', ['encryption', 'surveillance']),
      feedback('reader-1', 's2', 'platform-regulation', ['platform-regulation']),
    ]);

    expect(lines).toEqual([
      {
        id: 's1',
        title: 'Title of s1',
        summary: 'Summary of s1',
        labels: ['surveillance'],
        why: 'Classified as encryption, surveillance; readers marked it not relevant to encryption (2 readers).',
      },
      {
        id: 's2',
        title: 'Title of s2',
        summary: 'Summary of s2',
        labels: [],
        why: 'Classified as platform-regulation; readers marked it not relevant to platform-regulation (1 reader).',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('reader-1');
  });

  it('writes lines the eval command reads as labelled items', () => {
    const [line] = feedbackToCorpus([feedback('r', 's1', 'encryption', ['encryption'])]);
    expect(labelledItemSchema.parse(JSON.parse(JSON.stringify(line)))).toMatchObject({
      id: 's1',
      labels: [],
    });
  });
});
