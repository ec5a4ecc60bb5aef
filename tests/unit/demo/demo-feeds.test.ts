import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/demo-feeds');

interface DemoFeed {
  file: string;
  name: string;
  format: string;
}

async function demoFeeds(): Promise<DemoFeed[]> {
  return parse(await readFile(path.join(DEMO_DIR, 'feeds.yaml'), 'utf8')) as DemoFeed[];
}

async function items(file: string): Promise<Array<{ title?: string; link?: string }>> {
  const feed = await new Parser().parseString(await readFile(path.join(DEMO_DIR, file), 'utf8'));
  return feed.items;
}

describe('demo feeds', () => {
  it('lists RSS 2.0, Atom and RSS 1.0 feeds that each parse with 10 to 15 items', async () => {
    const feeds = await demoFeeds();

    expect(new Set(feeds.map((feed) => feed.format))).toEqual(new Set(['rss2', 'atom', 'rss1']));
    for (const feed of feeds) {
      const parsed = await items(feed.file);
      expect(parsed.length, feed.file).toBeGreaterThanOrEqual(10);
      expect(parsed.length, feed.file).toBeLessThanOrEqual(15);
      for (const item of parsed) expect(item.link, `${feed.file}: ${item.title}`).toMatch(/^https:\/\//);
    }
  });

  it('carries the home secretary story in two feeds under lightly different titles', async () => {
    const courier = await items('daily-courier.rss.xml');
    const eurowire = await items('eurowire-policy.atom.xml');

    const inCourier = courier.find((item) => item.title?.startsWith('Home secretary demands'));
    const inEurowire = eurowire.find((item) => item.title?.startsWith('UK home secretary demands'));

    expect(inCourier?.link).toBeDefined();
    expect(inEurowire?.link).toBeDefined();
    expect(inCourier?.link).not.toBe(inEurowire?.link);
  });

  it('carries one URL in two feeds so a story gets two sources', async () => {
    const courierLinks = new Set((await items('daily-courier.rss.xml')).map((item) => item.link));
    const capitolLinks = (await items('capitol-tech-report.rdf')).map((item) => item.link);

    expect(capitolLinks.filter((link) => courierLinks.has(link))).toEqual([
      'https://newswire.example/2026/03/27/apple-advanced-data-protection-uk-order',
    ]);
  });
});
