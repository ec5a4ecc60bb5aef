import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freshenFeeds } from '#lib/demo/demo-feeds.ts';

const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/demo-feeds');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

describe('the demo’s freshened dates', () => {
  it('agree with the dates in the story URLs, and a story two feeds carry keeps one URL', async () => {
    const files = (
      parse(await readFile(path.join(DEMO_DIR, 'feeds.yaml'), 'utf8')) as { file: string }[]
    ).map((feed) => feed.file);
    const xmls = await Promise.all(files.map((file) => readFile(path.join(DEMO_DIR, file), 'utf8')));
    const now = new Date('2026-11-30T09:10:00.000Z');

    const fresh = freshenFeeds(xmls, now);

    let checked = 0;
    const mismatched: string[] = [];
    const appleLinks = new Set<string>();
    for (const xml of fresh) {
      for (const item of (await new Parser().parseString(xml)).items) {
        const match = /\/(20\d\d)\/([a-z]{3}|\d\d)\/(\d\d)\//.exec(item.link ?? '');
        if (!match || !item.isoDate) continue;
        const published = new Date(item.isoDate);
        const month = /^\d\d$/.test(match[2] ?? '') ? Number(match[2]) - 1 : MONTHS.indexOf(match[2] ?? '');
        const urlDay = new Date(Date.UTC(Number(match[1]), month, Number(match[3])))
          .toISOString()
          .slice(0, 10);
        if (urlDay !== published.toISOString().slice(0, 10)) mismatched.push(`${item.link} ${item.isoDate}`);
        if (item.link?.includes('apple-advanced-data-protection')) appleLinks.add(item.link);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Only the story two feeds carry, 35 minutes apart, may sit either side of midnight.
    expect(mismatched.length, mismatched.join('\n')).toBeLessThanOrEqual(1);
    expect(appleLinks.size).toBe(1);
  });
});
