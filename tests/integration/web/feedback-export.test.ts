import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedbackRepository } from '#lib/store/feedback-repository.ts';
import { lambdaEnvironment, useLocalStack } from '../../helpers/local-stack.ts';
import { runCli } from '../../helpers/run-cli.ts';

const dataDir = await mkdtemp(path.join(tmpdir(), 'cipherwatch-feedback-'));

describe('cipherwatch feedback export', () => {
  const stack = useLocalStack({ env: { CIPHERWATCH_HOME: dataDir } });

  it('says so when there is no feedback yet', async () => {
    const { stdout, stderr, failed } = await runCli(
      ['feedback', 'export', '--data-dir', dataDir],
      lambdaEnvironment(stack()),
    );
    expect(failed).toBe(false);
    expect(stdout).toBe('');
    expect(stderr).toBe('No feedback yet.\n');
  });

  it('writes readers’ feedback as JSON Lines in the labelled-corpus format', async () => {
    const { dynamodb, config } = stack().app;
    const feedback = new FeedbackRepository(dynamodb, config.tables.feedback);
    for (const subscriberId of ['reader-a', 'reader-b']) {
      await feedback.record({
        subscriberId,
        storyId: 'story-1',
        topicId: 'surveillance',
        title: 'Ministers press messaging apps on encrypted chats',
        summary: 'Access to end-to-end encrypted messages.',
        storyTopics: ['encryption', 'surveillance'],
        recordedAt: '2026-11-30T10:00:00.000Z',
      });
    }

    const output = path.join(dataDir, 'feedback.jsonl');
    const { stderr, failed } = await runCli(
      ['feedback', 'export', '--data-dir', dataDir, '--output', output],
      lambdaEnvironment(stack()),
    );

    expect(failed).toBe(false);
    expect(stderr).toBe(`Wrote 1 story with feedback to ${output}.\n`);
    const lines = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        id: 'story-1',
        title: 'Ministers press messaging apps on encrypted chats',
        summary: 'Access to end-to-end encrypted messages.',
        labels: ['encryption'],
        why: 'Classified as encryption, surveillance; readers marked it not relevant to surveillance (2 readers).',
      },
    ]);
  });
});
