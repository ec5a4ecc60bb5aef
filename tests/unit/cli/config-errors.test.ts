import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#lib/config.ts';

function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration errors', () => {
  it('names a too-short token secret without echoing its value', () => {
    const error = configErrorFor({ CIPHERWATCH_TOKEN_SECRET: 'short-but-secret' });
    expect(error.variable).toBe('CIPHERWATCH_TOKEN_SECRET');
    expect(error.message).toContain('at least 32 characters');
    expect(error.message).not.toContain('short-but-secret');
  });

  it('never echoes an SMTP URL, which may carry a password', () => {
    const error = configErrorFor({ SMTP_URL: 'http://user:hunter2@mail.example' });
    expect(error.message).not.toContain('hunter2');
  });

  it('still shows a wrong value that is not secret, so the person sees the typo', () => {
    const error = configErrorFor({ CIPHERWATCH_POLL_INTERVAL_MINUTES: 'often' });
    expect(error.message).toContain('(got "often")');
  });
});
