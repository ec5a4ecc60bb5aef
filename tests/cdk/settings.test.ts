import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_SENDER, readDeploySettings } from '../../cdk/settings.ts';

const settingsFrom = (context: Record<string, unknown>) => readDeploySettings(new App({ context }));

describe('deploy settings', () => {
  it('synthesizes a clean clone with defaults: a placeholder sender, 5-minute polls, hourly digests', () => {
    const settings = settingsFrom({});

    expect(settings).toMatchObject({
      senderEmail: PLACEHOLDER_SENDER,
      mailFrom: `Cipherwatch <${PLACEHOLDER_SENDER}>`,
      pollEveryMinutes: 5,
      digestSchedule: 'cron(5 * * * ? *)',
      logRetentionDays: 30,
    });
  });

  it('reads -c values given as text on the command line', () => {
    const settings = settingsFrom({ senderEmail: 'digests@news.example.org', pollEveryMinutes: '10' });

    expect(settings.pollEveryMinutes).toBe(10);
    expect(settings.mailFrom).toBe('Cipherwatch <digests@news.example.org>');
  });

  it('refuses to deploy without a sender and an alarm address, naming both', () => {
    expect(() => settingsFrom({ requireDeploySettings: 'true' })).toThrow(
      'Deploying needs -c senderEmail=… and -c alarmEmail=…',
    );
  });

  it('names the setting that is wrong', () => {
    expect(() => settingsFrom({ logRetentionDays: '45' })).toThrow(
      /-c logRetentionDays=… must be one of 1, 3/,
    );
    expect(() => settingsFrom({ senderEmail: 'digests@a.example', senderDomain: 'b.example' })).toThrow(
      'must be an address at -c senderDomain=b.example',
    );
  });
});

describe('cdk-nag as a validation plugin', () => {
  function appWithQueueWithoutDeadLetters(acknowledged: boolean): App {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    const queue = new Queue(stack, 'NoDeadLetters', { enforceSSL: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    if (acknowledged) {
      Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'probe for the test' });
    }
    return app;
  }

  it('fails synth on a finding nobody acknowledged', () => {
    expect(() => appWithQueueWithoutDeadLetters(false).synth()).toThrow(/AwsSolutions-SQS3/);
  });

  it('passes once each finding is acknowledged with a reason', () => {
    expect(() => appWithQueueWithoutDeadLetters(true).synth()).not.toThrow();
  });
});
