import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadModelBeside } from './model.ts';
import { type TopicPack, TopicPackError, validateTopicPack } from './pack-document.ts';

/** The compiled pack's name inside a bundle's config folder, beside the classifier model. */
export const compiledTopicPackFile = 'topics.json';

/**
 * Reads the topic pack a Lambda bundle carries: config/topics.yaml compiled to JSON at synth time
 * (`compileTopicPack`), validated again here with the same rules, with the model beside it.
 */
export function loadCompiledTopicPack(configDir: string): TopicPack {
  const filePath = path.join(configDir, compiledTopicPackFile);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (cause) {
    const reason =
      cause instanceof SyntaxError
        ? `not valid JSON: ${cause.message}`
        : cause instanceof Error && 'code' in cause
          ? `cannot read it (${String(cause.code)})`
          : 'unreadable';
    throw new TopicPackError(`${filePath}: ${reason}`, filePath);
  }
  return { ...validateTopicPack(document, filePath), model: loadModelBeside(filePath) };
}
