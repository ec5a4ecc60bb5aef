import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { Feed } from '#lib/feeds/feed.ts';

/** An outline that names a feed: what `feeds import` adds. */
export interface OpmlFeed {
  url: string;
  name: string | undefined;
  language: string | undefined;
}

/** A file that is not OPML, or OPML with no feed in it. */
export class OpmlError extends Error {
  override name = 'OpmlError';
}

/** The registry as an OPML 2.0 subscription list, the format every feed reader imports. */
export function feedsToOpml(feeds: readonly Feed[], now: Date = new Date()): string {
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
  });
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    opml: {
      '@_version': '2.0',
      head: { title: 'Cipherwatch feeds', dateCreated: now.toUTCString() },
      body: {
        outline: feeds.map((feed) => ({
          '@_type': 'rss',
          '@_text': feed.name,
          '@_title': feed.name,
          '@_xmlUrl': feed.url,
          ...(feed.language ? { '@_language': feed.language } : {}),
        })),
      },
    },
  };
  return builder.build(document) as string;
}

/**
 * Every outline with an `xmlUrl` in an OPML file, however deeply the reader nested them in folders.
 * A file declaring its own XML entities is refused, as feeds are: a subscription list never needs them.
 */
export function feedsFromOpml(xml: string): OpmlFeed[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: true,
    htmlEntities: false,
    isArray: (name) => name === 'outline',
  });
  if (/<!ENTITY/i.test(xml)) throw new OpmlError('the file declares XML entities, which are refused');
  let document: unknown;
  try {
    document = parser.parse(xml, true);
  } catch (error) {
    throw new OpmlError(`not well-formed XML (${error instanceof Error ? error.message : String(error)})`);
  }
  const opml = (document as { opml?: { body?: unknown } } | undefined)?.opml;
  if (opml === undefined) throw new OpmlError('not an OPML file (no <opml> element)');
  const found: OpmlFeed[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const outlines = (node as { outline?: unknown }).outline;
    if (!Array.isArray(outlines)) return;
    for (const outline of outlines) {
      if (typeof outline !== 'object' || outline === null) continue;
      const attributes = outline as Record<string, unknown>;
      const url = text(attributes.xmlUrl);
      if (url) {
        found.push({
          url,
          name: text(attributes.text) ?? text(attributes.title),
          language: text(attributes.language),
        });
      }
      visit(outline);
    }
  };
  visit(opml.body);
  return found;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}
