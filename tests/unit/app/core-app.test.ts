import { describe, expect, it } from 'vitest';
import { createCoreApp } from '#lib/app/core-app.ts';
import { createLocalApp } from '#lib/app/local-app.ts';
import { ConfigError, parseConfig } from '#lib/config.ts';

describe('the composition root and the topic pack', () => {
  it('tells a Lambda-shaped app without CIPHERWATCH_CONFIG_DIR where its pack should be', () => {
    const config = parseConfig({ CIPHERWATCH_LOG_LEVEL: 'error' });
    expect(() => createCoreApp(config)).toThrow(ConfigError);
    expect(() => createCoreApp(config)).toThrow(/CIPHERWATCH_CONFIG_DIR is not set.*topics\.json/);
  });

  it('reads config/topics.yaml for local runs', () => {
    const app = createLocalApp(parseConfig({ CIPHERWATCH_LOG_LEVEL: 'error' }));
    try {
      expect(app.classifier.pack.source).toBe('config/topics.yaml');
      expect(app.classifier.pack.model).toBeDefined();
    } finally {
      app.close();
    }
  });
});
