import { FeedParseError } from './errors.ts';
import { HTML_ENTITIES } from './html-entities.ts';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const DOCTYPE = /<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/iy;
// CDATA and comments are matched first and kept as they are: the XML parser takes their text literally.
const AMPERSAND =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(?:(#\d+|#[xX][0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));|&/g;

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
  return xml.replace(AMPERSAND, repairReference);
}

function repairReference(whole: string, numeric?: string, name?: string): string {
  if (numeric !== undefined || whole.charCodeAt(0) === 0x3c) return whole;
  if (name === undefined) return '&amp;';
  if (XML_ENTITIES.has(name)) return whole;
  const codePoint = HTML_ENTITIES.get(name);
  return codePoint === undefined ? `&amp;${name};` : `&#${codePoint};`;
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
      DOCTYPE.lastIndex = position;
      const doctype = DOCTYPE.exec(xml);
      if (doctype === null) break;
      if (/<!ENTITY/i.test(doctype[0])) {
        throw new FeedParseError(
          'The feed declares its own XML entities (<!ENTITY>), which are refused because they can be used to exhaust memory',
          feedUrl,
        );
      }
      position += doctype[0].length;
    } else {
      break;
    }
  }
  return position === 0 ? xml : kept + xml.slice(position);
}
