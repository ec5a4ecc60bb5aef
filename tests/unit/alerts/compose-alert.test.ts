import { describe, expect, it } from 'vitest';
import { composeAlert } from '#lib/alerts/compose-alert.ts';
import type { Story } from '#lib/stories/story.ts';
import { makeStory, makeSubscriber, TOPIC_NAMES, topicMatch } from '../../helpers/factories.ts';

const THRESHOLDS = new Map([
  ['encryption', 0.8],
  ['surveillance', 0.85],
]);

function alertFor(stories: Story[], sent: string[] = []) {
  return composeAlert({
    subscriber: makeSubscriber({ frequency: 'instant', topics: ['encryption', 'surveillance'] }),
    batchId: 'poll-42',
    stories,
    alertThresholds: THRESHOLDS,
    alreadySent: new Set(sent),
    topicNames: TOPIC_NAMES,
  });
}

describe('composeAlert', () => {
  it('folds every story at or above its topic alert threshold into one message', () => {
    const stories = [
      makeStory({ id: 'at', topics: [topicMatch('encryption', 0.8)] }),
      makeStory({ id: 'above', topics: [topicMatch('surveillance', 0.9)] }),
      makeStory({ id: 'below', topics: [topicMatch('encryption', 0.79)] }),
    ];

    const alert = alertFor(stories);

    expect(alert?.windowKey).toBe('instant:poll-42');
    expect(alert?.storyIds.sort()).toEqual(['above', 'at']);
    expect(alert?.sections.map((section) => section.topicId)).toEqual(['encryption', 'surveillance']);
  });

  it('sends nothing when no story reaches a threshold', () => {
    expect(alertFor([makeStory({ id: 'weak', topics: [topicMatch('encryption', 0.5)] })])).toBeUndefined();
  });

  it('ignores topics without an alert threshold', () => {
    const stories = [makeStory({ id: 'p', topics: [topicMatch('platforms', 0.99)] })];

    expect(
      composeAlert({
        subscriber: makeSubscriber({ frequency: 'instant', topics: ['platforms'] }),
        batchId: 'b',
        stories,
        alertThresholds: THRESHOLDS,
        alreadySent: new Set(),
        topicNames: TOPIC_NAMES,
      }),
    ).toBeUndefined();
  });

  it('never alerts twice about the same story', () => {
    expect(
      alertFor([makeStory({ id: 'a', topics: [topicMatch('encryption', 0.9)] })], ['a']),
    ).toBeUndefined();
  });
});
