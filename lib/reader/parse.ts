import Parser from 'rss-parser';
import { FeedError, FeedParseError } from './errors.ts';
import { ParseBudget } from './parse-budget.ts';
import { prepareXml, repairEntities } from './prepare-xml.ts';
import { keepTextMarkup } from './text-constructs.ts';

/** One feed entry as the feed gave it: text still raw (possibly HTML), links possibly relative. */
export interface RawFeedItem {
  title?: string | undefined;
  /** False when the feed declared the title as plain text (Atom type="text"), so "<" is literal. */
  titleIsHtml: boolean;
  link?: string | undefined;
  guid?: string | undefined;
  /** RSS guid with isPermaLink not "false": the guid is the item's URL. */
  guidIsPermaLink: boolean;
  summaryHtml?: string | undefined;
  /** False when the feed declared the summary plain text (Atom type="text"); true when absent. */
  summaryIsHtml?: boolean | undefined;
  contentHtml?: string | undefined;
  /** False when the feed declared the content plain text (Atom type="text"); true when absent. */
  contentIsHtml?: boolean | undefined;
  /** The publication date exactly as written. */
  published?: string | undefined;
  language?: string | undefined;
  /** Absolute base URL for this item's relative links (xml:base, else the feed URL). */
  base: string;
}

export interface ParsedFeed {
  title?: string | undefined;
  link?: string | undefined;
  language?: string | undefined;
  /** Absolute base URL for the feed's relative links. */
  base: string;
  items: RawFeedItem[];
}

interface FeedExtra {
  'dc:language'?: unknown;
  language?: unknown;
}

interface ItemExtra {
  attrs?: unknown;
  links?: unknown;
  guidNodes?: unknown;
  titleNodes?: unknown;
  summaryNodes?: unknown;
  contentNodes?: unknown;
  published?: unknown;
  updated?: unknown;
  language?: unknown;
  date?: unknown;
  issued?: unknown;
  created?: unknown;
  modified?: unknown;
  atomPublished?: unknown;
  atomUpdated?: unknown;
  dctermsIssued?: unknown;
  dctermsCreated?: unknown;
  dctermsModified?: unknown;
  id?: unknown;
  summary?: unknown;
  'content:encoded'?: unknown;
}

// Built once: the xml2js parser inside is reusable, and construction is not free.
const parser = new Parser<FeedExtra, ItemExtra>({
  defaultRSS: 2,
  customFields: {
    feed: ['dc:language'],
    item: [
      ['$', 'attrs', { keepArray: true }],
      ['link', 'links', { keepArray: true }],
      ['guid', 'guidNodes', { keepArray: true }],
      ['title', 'titleNodes', { keepArray: true }],
      ['summary', 'summaryNodes', { keepArray: true }],
      ['content', 'contentNodes', { keepArray: true }],
      'published',
      'updated',
      // Atom 0.3 names.
      'issued',
      'created',
      'modified',
      // Dates from other namespaces inside RSS items, under their conventional prefixes.
      ['atom:published', 'atomPublished'],
      ['atom:updated', 'atomUpdated'],
      ['dcterms:issued', 'dctermsIssued'],
      ['dcterms:created', 'dctermsCreated'],
      ['dcterms:modified', 'dctermsModified'],
    ],
  },
});

// rss-parser turns Atom <published>/<updated> into ISO with `new Date(x).toISOString()`, which throws on an
// unreadable date and would lose the whole feed. Dates are read later by parsePublished, so on that failure
// the entry is parsed again without them and the raw text is kept.
interface AtomEntryParser {
  parseItemAtom(entry: Record<string, unknown>): Record<string, unknown>;
}
const atomEntryParser = parser as unknown as AtomEntryParser;
const parseItemAtom = atomEntryParser.parseItemAtom.bind(parser);
atomEntryParser.parseItemAtom = (entry) => {
  try {
    return parseItemAtom(entry);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const { published, updated, ...rest } = entry;
    return { ...parseItemAtom(rest), published: textOf(published), updated: textOf(updated) };
  }
};

// rss-parser also derives `isoDate` from every item's date with `new Date(...)`; dates are read by
// parsePublished instead, so that work is skipped.
(parser as unknown as { setISODate(item: unknown): void }).setISODate = () => {};

// For an RSS <description>, rss-parser also builds a plain-text `contentSnippet` (two regex passes and an entity
// decode over the whole HTML) that is never read: cleanText does that job. When the description is text, it is
// taken here and the item is built without it; anything else (child elements) keeps rss-parser's own handling.
interface RssItemParser {
  parseItemRss(xmlItem: Record<string, unknown>, itemFields: unknown): Record<string, unknown>;
}
const rssItemParser = parser as unknown as RssItemParser;
const parseItemRss = rssItemParser.parseItemRss.bind(parser);
rssItemParser.parseItemRss = (xmlItem, itemFields) => {
  const description = firstOf(xmlItem.description);
  const content =
    typeof description === 'string'
      ? description
      : isRecord(description) && typeof description._ === 'string'
        ? description._
        : undefined;
  if (content === undefined) return parseItemRss(xmlItem, itemFields);
  const { description: _description, ...rest } = xmlItem;
  const item = parseItemRss(rest, itemFields);
  item.content = content;
  return item;
};

type ParserOutput = Awaited<ReturnType<typeof parser.parseString>>;
type ParserItem = ParserOutput['items'][number];

/**
 * Parses RSS 0.9x/1.0/2.0 or Atom XML (already decoded to a string) with rss-parser, after `prepareXml` has
 * refused entity declarations. When strict parsing fails, HTML entities and stray ampersands are repaired and
 * the parse is tried once more. No I/O. Failures become a `FeedParseError`.
 */
export async function parseFeed(
  xml: string,
  feedUrl: string,
  budget: ParseBudget = new ParseBudget(feedUrl),
): Promise<ParsedFeed> {
  let prepared = prepareXml(xml, feedUrl);
  budget.check('reading the prolog');
  prepared = ensureChannel(keepTextMarkup(prepared, feedUrl));
  budget.check('reading text elements');
  let output: ParserOutput;
  try {
    output = await parser.parseString(prepared);
  } catch (firstError) {
    // Valid XML (most feeds) pays nothing for entity repair; only a failed parse is retried with it.
    const repaired = repairEntities(prepared);
    if (repaired === prepared) throw parseError(firstError, feedUrl);
    prepared = repaired;
    budget.check('repairing entities');
    try {
      output = await parser.parseString(prepared);
    } catch (error) {
      throw parseError(error, feedUrl);
    }
  }
  budget.check('parsing the XML');
  const root = readRoot(prepared);
  const rootAttributes = root.attributes;
  const base = resolveAgainst(rootAttributes['xml:base'], feedUrl) ?? feedUrl;
  const language = textOf(output.language) ?? textOf(output['dc:language']) ?? rootAttributes['xml:lang'];
  return {
    title: textOf(output.title),
    link: resolveAgainst(textOf(output.link), base),
    language: language || undefined,
    base,
    items: (output.items ?? []).map((item) => {
      budget.check('reading items');
      return toRawItem(item, base, root.name === 'feed');
    }),
  };
}

function toRawItem(item: ParserItem, feedBase: string, isAtom: boolean): RawFeedItem {
  const attrs = attributesOf(item.attrs);
  const base = resolveAgainst(attrs['xml:base'], feedBase) ?? feedBase;
  const guidNode = firstOf(item.guidNodes);
  const titleNode = firstOf(item.titleNodes);
  const titleType = attributesOf(isRecord(titleNode) ? titleNode.$ : undefined).type;
  // Atom titles are plain text unless typed html/xhtml; RSS titles often carry escaped markup.
  return {
    title: textOf(item.title),
    titleIsHtml: isAtom ? isMarkupType(titleType) : true,
    link: chooseLink(item.links, base) ?? textOf(item.link),
    guid: textOf(guidNode) ?? textOf(item.id) ?? attrs['rdf:about'],
    guidIsPermaLink:
      guidNode !== undefined &&
      attributesOf(isRecord(guidNode) ? guidNode.$ : undefined).isPermaLink !== 'false',
    ...bodyText(item, isAtom),
    // When an item gives several dates, publication wins over creation, and creation over modification
    // (a correction must not make an old story look new): published (Atom 1.0, also atom:published in RSS),
    // pubDate (RSS 2.0), issued (Atom 0.3, dcterms:issued), dc:date (RSS 1.0's publication date), created
    // (Atom 0.3, dcterms:created), then updated (Atom 1.0, atom:updated), modified (Atom 0.3,
    // dcterms:modified). The first one present is taken as written; unreadable text falls back later.
    published:
      textOf(item.published) ??
      textOf(item.atomPublished) ??
      textOf(item.pubDate) ??
      textOf(item.issued) ??
      textOf(item.dctermsIssued) ??
      textOf(item.date) ??
      textOf(item.created) ??
      textOf(item.dctermsCreated) ??
      textOf(item.updated) ??
      textOf(item.atomUpdated) ??
      textOf(item.modified) ??
      textOf(item.dctermsModified),
    language: textOf(item.language) ?? attrs['xml:lang'],
    base,
  };
}

/** An entry's summary and content, each with whether it holds markup (by its declared Atom type). */
function bodyText(
  item: ParserItem,
  isAtom: boolean,
): Pick<RawFeedItem, 'summaryHtml' | 'summaryIsHtml' | 'contentHtml' | 'contentIsHtml'> {
  if (!isAtom) {
    return {
      summaryHtml: textOf(item.summary) ?? textOf(item.content),
      contentHtml: textOf(item['content:encoded']),
    };
  }
  const summaryType = typeOf(item.summaryNodes);
  const contentType = typeOf(item.contentNodes);
  return {
    summaryHtml: isTextType(summaryType) ? textOf(item.summary) : undefined,
    summaryIsHtml: isMarkupType(summaryType),
    // Atom content may be an image or other media (a MIME type, often base64): only text is read.
    contentHtml: isTextType(contentType) ? textOf(item.content) : undefined,
    contentIsHtml: isMarkupType(contentType),
  };
}

function typeOf(nodes: unknown): string | undefined {
  const node = firstOf(nodes);
  return attributesOf(isRecord(node) ? node.$ : undefined).type;
}

/** Absent, `text` and `text/plain` mean plain text; RFC 4287 §3.1 also allows html and xhtml. */
function isTextType(type: string | undefined): boolean {
  const name = type?.split(';')[0]?.trim().toLowerCase();
  return name === undefined || name === 'text' || name === 'text/plain' || isMarkupType(type);
}

/**
 * Whether an Atom text construct's `type` says it holds markup (RFC 4287 §3.1: `html`, `xhtml`; Atom 0.3 used
 * the MIME types `text/html` and `application/xhtml+xml`). Absent, `text` and `text/plain` mean plain text.
 */
function isMarkupType(type: string | undefined): boolean {
  const name = type?.split(';')[0]?.trim().toLowerCase();
  return name === 'html' || name === 'xhtml' || name === 'text/html' || name === 'application/xhtml+xml';
}

/** Picks the item's web page among Atom links (rel="alternate", HTML first) or takes the RSS link. */
function chooseLink(links: unknown, base: string): string | undefined {
  if (!Array.isArray(links)) return undefined;
  let fallback: string | undefined;
  let alternate: string | undefined;
  for (const node of links) {
    if (typeof node === 'string') return node.trim() || undefined;
    const attrs = attributesOf(isRecord(node) ? node.$ : undefined);
    if (attrs.href === undefined) {
      const text = textOf(node);
      if (text) return text;
      continue;
    }
    const href = attrs['xml:base']
      ? (resolveAgainst(attrs.href, resolveAgainst(attrs['xml:base'], base) ?? base) ?? attrs.href)
      : attrs.href;
    const rel = attrs.rel ?? 'alternate';
    if (rel === 'alternate' && (attrs.type === undefined || attrs.type.includes('html'))) return href;
    if (rel === 'alternate') alternate ??= href;
    fallback ??= href;
  }
  return alternate ?? fallback;
}

/** Flattens what xml2js produced for an element (string, {_: text}, nested objects) into its text. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (!isRecord(value)) return undefined;
  if (typeof value._ === 'string') return value._;
  const parts: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key === '$') continue;
    const nested = Array.isArray(child) ? child.map(textOf) : [textOf(child)];
    for (const text of nested) if (text) parts.push(text);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function attributesOf(value: unknown): Record<string, string | undefined> {
  if (!isRecord(value)) return {};
  const attributes: Record<string, string | undefined> = {};
  for (const [key, attribute] of Object.entries(value)) {
    if (typeof attribute === 'string') attributes[key] = attribute;
  }
  return attributes;
}

const ROOT_SEARCH_LENGTH = 8192;

function readRoot(xml: string): { name: string | undefined; attributes: Record<string, string | undefined> } {
  const root = /<(?:[A-Za-z_][\w.-]*:)?(feed|rss|RDF)\b([^>]*)>/.exec(xml.slice(0, ROOT_SEARCH_LENGTH));
  const attributes: Record<string, string | undefined> = {};
  for (const match of (root?.[2] ?? '').matchAll(/(xml:(?:lang|base))\s*=\s*(["'])(.*?)\2/g)) {
    if (match[1] !== undefined) attributes[match[1]] = match[3];
  }
  return { name: root?.[1], attributes };
}

/**
 * Old feeds sometimes have no `<channel>`: `<rss>` gets one around its content and `<rdf:RDF>` an empty one, so
 * their items are read instead of crashing the parser.
 */
function ensureChannel(xml: string): string {
  if (/<channel[\s>/]/.test(xml)) return xml;
  // The root opens right after the prolog (whose comments and DOCTYPE are gone): looking further would let a
  // document of repeated "<rss" make this search quadratic.
  const root = /<(rss|rdf:RDF)\b[^>]*>/.exec(xml.slice(0, ROOT_SEARCH_LENGTH));
  if (root === null || root[0].endsWith('/>')) return xml;
  const afterRoot = root.index + root[0].length;
  if (root[1] === 'rdf:RDF') return `${xml.slice(0, afterRoot)}<channel></channel>${xml.slice(afterRoot)}`;
  const close = xml.lastIndexOf('</rss>');
  if (close === -1) return xml;
  return `${xml.slice(0, afterRoot)}<channel>${xml.slice(afterRoot, close)}</channel>${xml.slice(close)}`;
}

function resolveAgainst(link: string | undefined, base: string): string | undefined {
  if (link === undefined || link.trim() === '') return undefined;
  try {
    return new URL(link.trim(), base).href;
  } catch {
    return undefined;
  }
}

function parseError(error: unknown, feedUrl: string): FeedError {
  if (error instanceof FeedError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new FeedParseError(`The document is not a readable RSS or Atom feed: ${oneLine(detail)}`, feedUrl, {
    cause: error,
  });
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ', ').trim();
}
