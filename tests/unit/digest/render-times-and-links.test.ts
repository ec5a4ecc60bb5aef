import { describe, expect, it } from 'vitest';
import type { Digest, DigestEntry } from '#lib/digest/digest.ts';
import { formatLocalTime, type RenderContext, renderDigest, SUBJECT_MAX } from '#lib/digest/render.ts';
import { makeStory, makeSubscriber } from '../../helpers/factories.ts';

const CONTEXT: RenderContext = {
  subscriber: makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 }),
  unsubscribeUrl: 'https://cipherwatch.example/unsubscribe?token=abc.def',
  manageUrl: 'https://cipherwatch.example/manage?token=ghi.jkl',
  unsubscribeMailto: 'mailto:unsubscribe@cipherwatch.example?subject=unsubscribe%20abc',
  listId: 'digests.cipherwatch.example',
  publicUrl: 'https://cipherwatch.example/',
};

function entry(id: string): DigestEntry {
  return {
    story: makeStory({ id, publishedAt: '2026-01-15T07:15:00.000Z' }),
    score: 0.9,
    why: 'Matched "encryption".',
    alsoReportedBy: [],
  };
}

const NAMES = [
  ['encryption', 'Encryption and lawful access'],
  ['surveillance', 'State surveillance'],
  ['security-services', 'Security and intelligence services'],
  ['platform-regulation', 'Regulation of online platforms'],
] as const;

function weeklyDigest(moreCount = 0): Digest {
  return {
    subscriberId: 'sub-1',
    windowKey: 'weekly:2026-W03',
    window: { start: '2026-01-08T09:00:00.000Z', end: '2026-01-15T09:00:00.000Z' },
    sections: NAMES.map(([topicId, topicName], index) => ({
      topicId,
      topicName,
      entries: [entry(`s${index}`)],
      moreCount: index === 1 ? moreCount : 0,
    })),
    storyIds: [],
    clusterIds: [],
    totalStories: 4 + moreCount,
  };
}

describe('times, subjects and archive links in emails', () => {
  it.each([
    ['Australia/Sydney', 'Thu 15 Jan, 18:15 AEDT'],
    ['America/New_York', 'Thu 15 Jan, 02:15 EST'],
    ['Europe/Berlin', 'Thu 15 Jan, 08:15 CET'],
    ['Europe/London', 'Thu 15 Jan, 07:15 GMT'],
    ['Asia/Tokyo', 'Thu 15 Jan, 16:15 GMT+9'],
  ])('shows times in %s with the zone abbreviation where it has one', (zone, expected) => {
    expect(formatLocalTime('2026-01-15T07:15:00.000Z', zone)).toBe(expected);
  });

  it('keeps a subject covering many long topic names under 80 characters', () => {
    const { subject } = renderDigest(weeklyDigest(), {
      ...CONTEXT,
      subscriber: makeSubscriber({ frequency: 'weekly' }),
    });

    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(subject).toMatch(/^Cipherwatch weekly: 4 stories on Encryption and lawful access.* \+\d more$/);
  });

  it('links "and N more" to the topic archive for the digest window, so the subject count can be seen', () => {
    const { text, html, subject } = renderDigest(weeklyDigest(6), CONTEXT);
    const archive =
      'https://cipherwatch.example/topics/surveillance?since=2026-01-08T09%3A00%3A00.000Z&until=2026-01-15T09%3A00%3A00.000Z';

    expect(subject).toMatch(/: 10 stories on /);
    expect(text).toContain(`And 6 more stories on State surveillance this week: ${archive}`);
    expect(html).toContain(`href="${archive.replaceAll('&', '&amp;')}"`);
  });
});
