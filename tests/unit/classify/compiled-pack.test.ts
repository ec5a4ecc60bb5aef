import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCompiledTopicPack } from '#lib/classify/compiled-pack.ts';
import { TopicPackError } from '#lib/classify/topic-pack.ts';

describe('loadCompiledTopicPack (the pack a Lambda bundle carries)', () => {
  const dirs: string[] = [];
  const configDir = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cipherwatch-compiled-pack-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names the folder when the bundle has no compiled pack', () => {
    const dir = configDir({});
    expect(() => loadCompiledTopicPack(dir)).toThrow(TopicPackError);
    expect(() => loadCompiledTopicPack(dir)).toThrow(
      `${path.join(dir, 'topics.json')}: cannot read it (ENOENT)`,
    );
  });

  it('says the file is not JSON rather than failing later', () => {
    const dir = configDir({ 'topics.json': '{"version": 1,' });
    expect(() => loadCompiledTopicPack(dir)).toThrow(/topics\.json: not valid JSON/);
  });

  it('applies the same validation as the YAML source', () => {
    const dir = configDir({ 'topics.json': JSON.stringify({ version: 1, topics: [{ id: 'Bad Id' }] }) });
    expect(() => loadCompiledTopicPack(dir)).toThrow(
      /topics\.json: topic "Bad Id": id: expected lowercase letters/,
    );
  });
});
