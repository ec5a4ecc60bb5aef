// The topic pack as people write it: YAML in config/topics.yaml. Its shape and validation live in
// pack-document.ts, shared with the compiled JSON form that Lambda bundles read (compiled-pack.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadModelBeside } from './model.ts';
import { type TopicPack, TopicPackError, validateTopicPack } from './pack-document.ts';

export type {
  NegativeGroup,
  ScoringSettings,
  SignalGroup,
  TopicDefinition,
  TopicPack,
} from './pack-document.ts';
export { TopicPackError } from './pack-document.ts';

/** Where the default topic pack lives: resolved from this file, so it works from any working directory. */
export const defaultTopicPackPath = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

/** Parses YAML text, or explains in one line (naming the file) why it is not YAML. */
export function parseTopicPackDocument(yamlText: string, fileLabel: string): unknown {
  try {
    return parseYaml(yamlText);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new TopicPackError(`${fileLabel}: not valid YAML: ${detail}`, fileLabel);
  }
}

/** Validates a topic pack written in YAML; `fileLabel` names the file in error messages. */
export function parseTopicPack(yamlText: string, fileLabel: string): TopicPack {
  return validateTopicPack(parseTopicPackDocument(yamlText, fileLabel), fileLabel);
}

/** The project-relative label of the built-in pack; any other path as the person gave it. */
function labelFor(filePath: string): string {
  return filePath === defaultTopicPackPath ? 'config/topics.yaml' : filePath;
}

function readPackText(filePath: string, label: string): string {
  try {
    return readFileSync(filePath, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error && 'code' in cause ? String(cause.code) : 'unreadable';
    throw new TopicPackError(`${label}: cannot read the topic pack (${reason})`, label);
  }
}

/** Reads and validates a topic pack; without a path, the project's `config/topics.yaml`. */
export function loadTopicPack(filePath: string = defaultTopicPackPath): TopicPack {
  const label = labelFor(filePath);
  return { ...parseTopicPack(readPackText(filePath, label), label), model: loadModelBeside(filePath) };
}

/**
 * The pack's YAML as the JSON document a Lambda bundle reads (see compiled-pack.ts), validated first
 * so a broken pack fails the synth, not the first poll.
 */
export function compileTopicPack(filePath: string = defaultTopicPackPath): string {
  const label = labelFor(filePath);
  const document = parseTopicPackDocument(readPackText(filePath, label), label);
  validateTopicPack(document, label);
  return `${JSON.stringify(document)}\n`;
}
