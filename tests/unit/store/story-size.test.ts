import { describe, expect, it } from 'vitest';
import { MAX_STORY_BYTES, partitionBySize } from '#lib/store/story-size.ts';
import type { Story } from '#lib/stories/story.ts';

const story = (id: string, sentence: string): Story => ({
  id,
  canonicalUrl: `https://news.example.com/${id}`,
  link: `https://news.example.com/${id}`,
  title: 'Title',
  summary: 'Summary',
  publishedAt: '2024-05-07T07:30:00.000Z',
  sources: [{ feedId: 'feed', feedName: 'Feed', link: `https://news.example.com/${id}` }],
  topics: [{ id: 'encryption', score: 0.9, evidence: [{ phrase: 'encryption', sentence }] }],
  clusterId: id,
  firstSeenAt: '2024-05-07T08:00:00.000Z',
});

describe('partitionBySize', () => {
  it('sets aside a story too large for a DynamoDB item and keeps the others', () => {
    const huge = story('huge', 'x'.repeat(MAX_STORY_BYTES));
    const fine = [story('a', 'short'), story('b', 'short')];

    const { fitting, tooLarge } = partitionBySize([fine[0] as Story, huge, fine[1] as Story]);

    expect(fitting.map((s) => s.id)).toEqual(['a', 'b']);
    expect(tooLarge.map((s) => s.id)).toEqual(['huge']);
  });

  it('measures bytes, not characters', () => {
    const multibyte = story('multibyte', 'é'.repeat(Math.ceil(MAX_STORY_BYTES / 2)));

    expect(partitionBySize([multibyte]).tooLarge).toHaveLength(1);
  });
});
