import { decodeHTMLStrict } from 'entities';
import { FeedParseError } from './errors.ts';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// The end of an internal subset: "]" then ">". Searched forward once, so a DOCTYPE of any shape is read in
// linear time (a nested "[...]*" pattern here once took time doubling with each "[]" pair).
const SUBSET_END = /\]\s*>/g;
// CDATA and comments are found first and kept as they are: the XML parser takes their text literally.
const LITERAL_SECTION = /<!\[CDATA\[|<!--/g;
// Linear: a match starts only at "&", and a name without ";" is read once before the lone "&" matches.
const REFERENCE = /&(?:(#\d+|#[xX][0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));|&/g;

/**
 * Makes untrusted feed XML safe for the parser: refuses entity declarations (the "billion laughs" family)
 * outright and drops the DOCTYPE and prolog comments. Cheap: it only reads the prolog.
 */
export function prepareXml(xml: string, feedUrl: string): string {
  return stripProlog(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml, feedUrl);
}

/**
 * Repairs what strict XML rejects but real feeds are full of: HTML named entities (`&nbsp;`, `&eacute;`) become
 * numeric references and stray ampersands ("AT&T") are escaped; CDATA and comments are left alone.
 * Returns the input unchanged when there was nothing to repair.
 */
export function repairEntities(xml: string): string {
  if (!xml.includes('&')) return xml;
  const parts: string[] = [];
  let copied = 0;
  LITERAL_SECTION.lastIndex = 0;
  for (let found = LITERAL_SECTION.exec(xml); found !== null; found = LITERAL_SECTION.exec(xml)) {
    parts.push(xml.slice(copied, found.index).replace(REFERENCE, repairReference));
    // The section is kept whole; an unterminated one runs to the end, so nothing after it is touched.
    const end = xml.indexOf(found[0] === '<!--' ? '-->' : ']]>', found.index + found[0].length);
    copied = end === -1 ? xml.length : end + 3;
    parts.push(xml.slice(found.index, copied));
    LITERAL_SECTION.lastIndex = copied;
  }
  parts.push(xml.slice(copied).replace(REFERENCE, repairReference));
  const repaired = parts.join('');
  return repaired === xml ? xml : repaired;
}

function repairReference(whole: string, numeric?: string, name?: string): string {
  if (numeric !== undefined) return whole;
  if (name === undefined) return '&amp;';
  if (XML_ENTITIES.has(name)) return whole;
  const decoded = decodeHTMLStrict(whole);
  if (decoded === whole) return `&amp;${name};`;
  return [...decoded].map((character) => `&#${character.codePointAt(0)};`).join('');
}

/**
 * Walks the prolog (declaration, comments, DOCTYPE) up to the root element, dropping comments and the DOCTYPE.
 * Only a DOCTYPE here is real: "<!DOCTYPE" inside a comment or an item's CDATA is just text.
 */
function stripProlog(xml: string, feedUrl: string): string {
  let position = 0;
  let kept = '';
  for (;;) {
    while (position < xml.length && /\s/.test(xml.charAt(position))) position += 1;
    if (xml.startsWith('<?', position)) {
      const end = xml.indexOf('?>', position);
      if (end === -1) break;
      kept += `${xml.slice(position, end + 2)}\n`;
      position = end + 2;
    } else if (xml.startsWith('<!--', position)) {
      const end = xml.indexOf('-->', position);
      if (end === -1) break;
      position = end + 3;
    } else if (xml.startsWith('<!', position)) {
      const doctype = doctypeAt(xml, position);
      if (doctype === undefined) break;
      if (/<!ENTITY/i.test(doctype)) {
        throw new FeedParseError(
          'The feed declares its own XML entities (<!ENTITY>), which are refused because they can be used to exhaust memory',
          feedUrl,
        );
      }
      position += doctype.length;
    } else {
      break;
    }
  }
  return position === 0 ? xml : kept + xml.slice(position);
}

/** The DOCTYPE declaration starting at `position` (with its internal subset), or undefined when unterminated. */
function doctypeAt(xml: string, position: number): string | undefined {
  const gt = xml.indexOf('>', position);
  const bracket = xml.indexOf('[', position);
  if (gt === -1) return undefined;
  if (bracket === -1 || bracket > gt) return xml.slice(position, gt + 1);
  SUBSET_END.lastIndex = bracket + 1;
  const end = SUBSET_END.exec(xml);
  return end === null ? undefined : xml.slice(position, end.index + end[0].length);
}
