// Keeps the markup of feed text (titles, summaries, content) as one string before the XML parser sees it.
import { FeedParseError } from './errors.ts';

/**
 * Elements read as text: a title like `Breaking: <b>Big</b> news` must keep every word in document order, but the
 * XML parser's object tree keeps only an element's direct text. Their inner markup is handed over verbatim as
 * CDATA instead, and cleaned as HTML later.
 */
const TEXT_ELEMENTS = new Set([
  'title',
  'description',
  'summary',
  'content',
  'subtitle',
  'tagline',
  'content:encoded',
  'dc:title',
  'dc:description',
  'atom:title',
  'atom:summary',
  'atom:content',
  'atom:subtitle',
]);
/** Nesting beyond this is refused: real feeds stay under a few dozen levels; parsers recurse on depth. */
export const MAX_NESTING_DEPTH = 512;

const OPEN_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const CLOSE_TAG = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
const TYPE_ATTRIBUTE = /\stype\s*=\s*(["'])([^"']*)\1/;
// Atom 1.0 names and the MIME types of Atom 0.3 meaning the same (RFC 4287 §3.1).
const XHTML_TYPES = new Set(['xhtml', 'application/xhtml+xml']);

interface OpenTextElement {
  name: string;
  depthOutside: number;
  openTagStart: number;
  openTag: string;
  attributes: string;
  contentStart: number;
  hasElements: boolean;
}

/**
 * Rewrites each text element that holds child elements, or is typed XHTML, as the same element holding its
 * inner markup in CDATA (Atom ones re-typed `html`, which is what they now hold), so it is decoded exactly once,
 * when cleaned as HTML. Refuses nesting deeper than {@link MAX_NESTING_DEPTH} outside text elements with a
 * `FeedParseError` (inside them it is only text). One forward pass, linear in the document's length.
 */
export function keepTextMarkup(xml: string, feedUrl: string): string {
  const parts: string[] = [];
  let copied = 0;
  let position = 0;
  let depth = 0;
  let isAtom: boolean | undefined;
  let open: OpenTextElement | undefined;
  for (;;) {
    const lt = xml.indexOf('<', position);
    if (lt === -1) break;
    const literalEnd = skipLiteral(xml, lt);
    if (literalEnd !== undefined) {
      if (literalEnd === -1) break; // unterminated: the parser will say so
      position = literalEnd;
      continue;
    }
    if (xml.charCodeAt(lt + 1) === 0x2f) {
      CLOSE_TAG.lastIndex = lt;
      const close = CLOSE_TAG.exec(xml);
      position = lt + (close?.[0].length ?? 1);
      if (close === null) continue;
      depth -= 1;
      if (open !== undefined && depth === open.depthOutside && close[1] === open.name) {
        const replacement = rewrite(xml, open, lt, isAtom === true);
        if (replacement !== undefined) {
          parts.push(xml.slice(copied, open.openTagStart), replacement);
          copied = lt;
        }
        open = undefined;
      }
      continue;
    }
    OPEN_TAG.lastIndex = lt;
    const tag = OPEN_TAG.exec(xml);
    if (tag === null) {
      position = lt + 1;
      continue;
    }
    position = lt + tag[0].length;
    const name = tag[1] ?? '';
    isAtom ??= name === 'feed' || name.endsWith(':feed');
    if (open !== undefined) open.hasElements = true;
    if (tag[3] === '/') continue;
    if (open === undefined && TEXT_ELEMENTS.has(name)) {
      open = {
        name,
        depthOutside: depth,
        openTagStart: lt,
        openTag: tag[0],
        attributes: tag[2] ?? '',
        contentStart: position,
        hasElements: false,
      };
    }
    depth += 1;
    if (open === undefined && depth > MAX_NESTING_DEPTH) {
      throw new FeedParseError(
        `The feed nests elements more than ${MAX_NESTING_DEPTH} levels deep, which no real feed does`,
        feedUrl,
      );
    }
  }
  if (parts.length === 0) return xml;
  parts.push(xml.slice(copied));
  return parts.join('');
}

/** The end of a comment, CDATA section, declaration or processing instruction at `lt`; -1 when unterminated. */
function skipLiteral(xml: string, lt: number): number | undefined {
  const next = xml.charCodeAt(lt + 1);
  if (next !== 0x21 && next !== 0x3f) return undefined; // not "<!" or "<?"
  const terminator = xml.startsWith('<!--', lt)
    ? '-->'
    : xml.startsWith('<![CDATA[', lt)
      ? ']]>'
      : next === 0x3f
        ? '?>'
        : '>';
  const end = xml.indexOf(terminator, lt + 2);
  return end === -1 ? -1 : end + terminator.length;
}

/** The element rewritten with its inner markup as CDATA, or undefined when it is fine as it is. */
function rewrite(
  xml: string,
  element: OpenTextElement,
  closeStart: number,
  isAtom: boolean,
): string | undefined {
  const type = TYPE_ATTRIBUTE.exec(element.attributes)?.[2]?.toLowerCase();
  const isXhtml = type !== undefined && XHTML_TYPES.has(type);
  if (!element.hasElements && !isXhtml) return undefined;
  const inner = xml.slice(element.contentStart, closeStart);
  // "]]>" cannot appear inside CDATA: split the section around it.
  const cdata = `<![CDATA[${inner.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
  if (!isAtom && !element.name.startsWith('atom:')) return `${element.openTag}${cdata}`;
  const attributes = element.attributes.replace(TYPE_ATTRIBUTE, '');
  return `<${element.name}${attributes} type="html">${cdata}`;
}
