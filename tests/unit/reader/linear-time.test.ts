import { describe, expect, it } from 'vitest';
import { cleanText } from '#lib/plain-text.ts';
import { FeedError } from '#lib/reader/errors.ts';
import { prepareXml, repairEntities } from '#lib/reader/prepare-xml.ts';
import { keepTextMarkup } from '#lib/reader/text-constructs.ts';
import { processFeed } from '#lib/stories/process.ts';

// Fuzz-style growth checks: each hostile pattern is read at a size and at eight times that size. Linear work
// takes about eight times as long; the patterns these replaced took 64 times as long or more (the DOCTYPE one
// doubled with every "[]" pair, and the old code never finished these sizes). The bound is four times the linear
// ratio so a busy machine cannot fail it. These are growth ratios, not speed targets.
const GROWTH = 8;
const ALLOWED_RATIO = GROWTH * 4;
const RUNS = 5;
const url = 'https://hostile.example.com/feed.xml';

/** Milliseconds for one call: the fastest of five after a warm-up, which is the least disturbed by other work. */
function fastestRun(work: () => unknown): number {
  work();
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function fastestRunAsync(work: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run <= RUNS; run += 1) {
    const start = performance.now();
    await work().catch((error: unknown) => {
      if (!(error instanceof FeedError)) throw error;
    });
    if (run > 0) best = Math.min(best, performance.now() - start); // the first run warms up
  }
  return best;
}

/** Asserts that reading `GROWTH` times the input takes at most `ALLOWED_RATIO` times as long (plus 20 ms for a pause of the garbage collector or a busy machine). */
function expectLinear(small: number, large: number) {
  expect(large).toBeLessThan(small * ALLOWED_RATIO + 20);
}

const rss = (description: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Item</title>` +
  `<link>https://hostile.example.com/a</link><description>${description}</description></item></channel></rss>`;

describe('text cleaning grows linearly with hostile input', () => {
  const BASE = 40_000;
  it.each([
    ['repeated "<script "', '<script '],
    ['repeated "<script>" never closed', '<script>x'],
    ['repeated "<a"', '<a'],
    ['repeated "<a b=\\""', '<a b="'],
    ['repeated "<![CDATA["', '<![CDATA['],
    ['repeated "<!--"', '<!--'],
    ['repeated "<!"', '<!'],
    ['repeated "&" and names', '&aaaa'],
    ['repeated "The post ... appeared first on"', 'The post x appeared first on '],
  ])('%s', (_pattern, unit) => {
    const small = unit.repeat(Math.ceil(BASE / unit.length));
    const large = unit.repeat(Math.ceil((BASE * GROWTH) / unit.length));

    expectLinear(
      fastestRun(() => cleanText(small)),
      fastestRun(() => cleanText(large)),
    );
  });
});

describe('XML preparation grows linearly with hostile input', () => {
  it('a DOCTYPE of repeated "[]"', () => {
    const doctype = (pairs: number) => `<!DOCTYPE rss ${'[]'.repeat(pairs)}<rss/>`;

    expectLinear(
      fastestRun(() => prepareXml(doctype(20_000), url)),
      fastestRun(() => prepareXml(doctype(20_000 * GROWTH), url)),
    );
  });

  it.each([
    ['repeated "<![CDATA["', '<![CDATA[&'],
    ['repeated "<!--"', '<!--&'],
  ])('entity repair of %s', (_pattern, unit) => {
    const small = `<rss>${unit.repeat(40_000)}</rss>`;
    const large = `<rss>${unit.repeat(40_000 * GROWTH)}</rss>`;

    expectLinear(
      fastestRun(() => repairEntities(small)),
      fastestRun(() => repairEntities(large)),
    );
  });

  it.each([
    ['repeated "<a"', '<a'],
    ['repeated "<title>"', '<title>'],
    ['repeated "<a b=\'"', "<a b='"],
    ['repeated "<![CDATA["', '<![CDATA['],
    ['nested inline tags in a title', '<b>'],
  ])('text element scan of %s', (_pattern, unit) => {
    const small = rss(unit.repeat(10_000));
    const large = rss(unit.repeat(10_000 * GROWTH));
    const scan = (xml: string) => () => {
      try {
        keepTextMarkup(xml, url);
      } catch (error) {
        if (!(error instanceof FeedError)) throw error;
      }
    };

    expectLinear(fastestRun(scan(small)), fastestRun(scan(large)));
  });
});

describe('the whole read grows linearly with hostile input', () => {
  const notClassified = () => ({ relevant: false, topics: [] });
  const feed = { id: 'hostile', url, name: 'Hostile' };
  it.each([
    ['escaped "<script " runs', '&lt;script '],
    ['"<a" runs in CDATA', '<![CDATA[<a<a<a<a<a<a<a<a]]>'],
    ['"<![CDATA[" runs', '<![CDATA['],
  ])('%s', async (_pattern, unit) => {
    const small = rss(unit.repeat(4_000));
    const large = rss(unit.repeat(4_000 * GROWTH));
    const read = (xml: string) => () => processFeed(xml, feed, notClassified, new Date());

    expectLinear(await fastestRunAsync(read(small)), await fastestRunAsync(read(large)));
  });
});
