import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCipherwatch } from '../../cdk/cipherwatch.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

/** The deployment as `npm run deploy` would build it, without bundling (no stack is bundled), so it is fast. */
export function synthCipherwatch(context: Record<string, unknown> = {}) {
  const app = new App({
    context: {
      ...cdkJson.context,
      'aws:cdk:bundling-stacks': [],
      senderEmail: 'digests@news.example.org',
      alarmEmail: 'ops@news.example.org',
      ...context,
    },
  });
  const stacks = buildCipherwatch(app);
  return {
    app,
    stacks,
    data: Template.fromStack(stacks.data),
    pipeline: Template.fromStack(stacks.pipeline),
    web: Template.fromStack(stacks.web),
  };
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>
>;
