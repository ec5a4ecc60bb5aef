import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';
import { esbuildOptionsFor, PROJECT_ROOT, writeBundleConfig } from '../../cdk/bundling.ts';
import { lambdaEnvironment, useLocalStack } from '../helpers/local-stack.ts';
import { sqsEvent } from '../helpers/sqs-events.ts';

/**
 * The ses-events bundle as CDK builds it, run the way Lambda runs it: a fresh Node process with only
 * the bundle and its config folder, the function's environment, and the handler called with an event.
 */
describe('a deployed bundle', () => {
  const stack = useLocalStack();
  let bundleDir: string;

  beforeAll(async () => {
    // Under node_modules/.cache, so nothing outside the bundle could be picked up by accident from a
    // parent folder's node_modules except what the bundle itself names (it names none).
    const root = path.join(PROJECT_ROOT, 'node_modules', '.cache');
    mkdirSync(root, { recursive: true });
    bundleDir = mkdtempSync(path.join(root, 'bundle-run-'));
    await build(
      esbuildOptionsFor(
        path.join(PROJECT_ROOT, 'functions', 'ses-events.ts'),
        path.join(bundleDir, 'index.mjs'),
      ),
    );
    writeBundleConfig(path.join(bundleDir, 'config'));
  });
  afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

  it('loads its config from beside itself and suppresses a hard-bounced reader', async () => {
    const { app } = stack();
    const reader = await app.subscribers.create(
      {
        id: subscriberIdFor('gone@reader.example.net'),
        email: 'gone@reader.example.net',
        topics: ['encryption'],
        frequency: 'daily',
        timeZone: 'UTC',
        deliveryHour: 8,
        status: 'active',
        createdAt: '2026-11-01T00:00:00.000Z',
      },
      '2026-11-21T08:00:00.000Z',
    );
    const event = sqsEvent(
      readFileSync(new URL('../fixtures/ses-events/hard-bounce.json', import.meta.url), 'utf8'),
    );
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(path.join(bundleDir, 'index.mjs')).href)});
process.stdout.write(JSON.stringify(await handler(JSON.parse(process.env.EVENT))));`;

    const output = execFileSync(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', script],
      {
        cwd: bundleDir,
        env: {
          PATH: process.env.PATH,
          ...lambdaEnvironment(stack()),
          AWS_LAMBDA_FUNCTION_NAME: 'cipherwatch-ses-events',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          CIPHERWATCH_CONFIG_DIR: path.join(bundleDir, 'config'),
          EVENT: JSON.stringify(event),
        },
        encoding: 'utf8',
      },
    );

    expect(reader).toBe(true);
    expect(JSON.parse(output)).toEqual({ batchItemFailures: [] });
    expect((await app.subscribers.get(subscriberIdFor('gone@reader.example.net')))?.status).toBe(
      'suppressed',
    );
  });
});
