import { decodeEntities } from '#lib/reader/html-entities.ts';

const ALLOWED_TAGS = new Set(
  (
    'a abbr b blockquote br caption cite code dd del dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins ' +
    'kbd li mark ol p pre q s samp small span strike strong sub sup table tbody td tfoot th thead time tr u ul var'
  ).split(' '),
);
const VOID_TAGS = new Set(['br', 'hr', 'img']);
// Elements removed together with everything inside them: their content is code or chrome, never prose.
const DROPPED_WITH_CONTENT =
  /<(script|style|iframe|object|embed|noscript|template|svg|math|form|textarea|select)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;
const ALLOWED_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  '*': new Set(['title', 'lang', 'dir']),
  a: new Set(['href']),
  img: new Set(['src', 'alt', 'width', 'height']),
  td: new Set(['colspan', 'rowspan']),
  th: new Set(['colspan', 'rowspan', 'scope']),
  blockquote: new Set(['cite']),
  q: new Set(['cite']),
  time: new Set(['datetime']),
  abbr: new Set(['title']),
};
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);
const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|<|>|&/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/**
 * Keeps only harmless HTML: an allowlist of text-level and structural tags, a few attributes per tag, and
 * http(s)/mailto URLs (resolved against `base` when given). Scripts, styles, frames, forms, event handlers,
 * `style` attributes and `javascript:` URLs are removed; unclosed tags are closed. The output is safe to embed.
 */
export function sanitizeHtml(html: string, base?: string): string {
  const open: string[] = [];
  const input = html.replace(DROPPED_WITH_CONTENT, '');
  const output = input.replace(TOKEN, (whole, slash?: string, rawName?: string, rawAttributes?: string) => {
    if (whole === '<') return '&lt;';
    if (whole === '>') return '&gt;';
    if (whole === '&') return '&amp;';
    if (rawName === undefined) return ''; // a comment
    const name = rawName.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) return '';
    if (slash) {
      const index = open.lastIndexOf(name);
      if (index === -1) return '';
      // Closing an outer tag closes everything opened inside it, keeping the output well nested.
      const closing = open.splice(index).reverse();
      return closing.map((tag) => `</${tag}>`).join('');
    }
    const attributes = sanitizeAttributes(name, rawAttributes ?? '', base);
    if (VOID_TAGS.has(name)) return `<${name}${attributes}>`;
    open.push(name);
    return `<${name}${attributes}>`;
  });
  return (
    fixEntities(output) +
    open
      .reverse()
      .map((tag) => `</${tag}>`)
      .join('')
  );
}

function sanitizeAttributes(tag: string, raw: string, base: string | undefined): string {
  const allowedHere = ALLOWED_ATTRIBUTES[tag];
  const allowedEverywhere = ALLOWED_ATTRIBUTES['*'];
  let result = '';
  for (const match of raw.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!allowedHere?.has(name) && !allowedEverywhere?.has(name)) continue;
    let value = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
    if (URL_ATTRIBUTES.has(name)) {
      const safe = safeUrl(value, base);
      if (safe === undefined) continue;
      value = safe;
    }
    result += ` ${name}="${escapeAttribute(value)}"`;
  }
  if (tag === 'a' && result.includes(' href=')) result += ' rel="nofollow noopener noreferrer"';
  return result;
}

function safeUrl(value: string, base: string | undefined): string | undefined {
  // Browsers ignore control characters and whitespace inside schemes ("java\tscript:"), so the check must too.
  const compact = value.replace(/[\s\p{Cc}]+/gu, '');
  try {
    const url = new URL(compact, base ?? 'relative:///');
    if (url.protocol === 'relative:') return value.trim();
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text between tags: "&" becomes "&amp;" unless it already starts a well-formed reference. */
function fixEntities(html: string): string {
  return html.replace(/&amp;(#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)/g, '&$1');
}
