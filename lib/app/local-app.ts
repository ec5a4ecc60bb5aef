import { createClassifier } from '#lib/classify/classifier.ts';
import { loadTopicPack } from '#lib/classify/topic-pack.ts';
import type { Config } from '#lib/config.ts';
import { type App, type AppOverrides, createApp } from './create-app.ts';

/**
 * The app for runs on this machine (the CLI, the local stack, tests): the topic pack is read from its
 * YAML source, config/topics.yaml, so an edit takes effect on the next run. A compiled pack in
 * CIPHERWATCH_CONFIG_DIR, when set, wins, as in a Lambda bundle.
 */
export function createLocalApp(config: Config, overrides: AppOverrides = {}): App {
  return createApp(config, {
    ...overrides,
    ...(!overrides.classifier && !config.configDir && { classifier: createClassifier(loadTopicPack()) }),
  });
}
