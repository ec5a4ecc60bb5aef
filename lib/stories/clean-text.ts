import { decodeEntities } from '#lib/reader/html-entities.ts';

const MAYBE_INVISIBLE = /<(?:script|style|noscript|template|iframe|object)\b/i;
const INVISIBLE = /<(script|style|noscript|template|iframe|object)\b[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
// Tags that separate words visually become a space: dropping them would glue "end.<p>Next" into "end.Next".
const BREAKING_TAGS = new Set(
  'br p div li ul ol h1 h2 h3 h4 h5 h6 tr td th table blockquote section article figure figcaption hr pre dt dd'.split(
    ' ',
  ),
);
const TAG = /<\/?([A-Za-z][A-Za-z0-9]*)[^>]*>|<![^>]*>|<\?[^>]*>/g;
// A zero-width space marks a word break, so it folds into a space like the rest (\s already covers U+FEFF).
// Single plain spaces are left alone: matching only what must change makes this pass about three times faster.
const SPACE_OR_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  /[\s\u0000-\u001f\u007f-\u009f\u200b]{2,}|[^\S ]|[\u0000-\u001f\u007f-\u009f\u200b]/g;

/** Folds every run of whitespace (including no-break spaces) into one space and trims. */
export function foldWhitespace(text: string): string {
  return text.replace(SPACE_OR_CONTROL, ' ').trim();
}

/**
 * Turns feed HTML (or text) into clean plain text: scripts, styles and comments dropped, tags removed, entities
 * decoded, whitespace folded. With `maxLength`, the text is cut on a word boundary and ends with an ellipsis.
 */
export function cleanText(htmlOrText: string, maxLength?: number): string {
  let text = htmlOrText;
  // The includes() checks skip whole passes on the common case; this runs for every item of every poll.
  if (text.includes('<')) {
    if (text.includes('<![CDATA[')) text = text.replace(CDATA, '$1');
    if (text.includes('<!--')) text = text.replace(COMMENT, ' ');
    if (MAYBE_INVISIBLE.test(text)) text = text.replace(INVISIBLE, ' ');
    text = text.replace(TAG, (_tag, name?: string) =>
      name !== undefined && BREAKING_TAGS.has(name.toLowerCase()) ? ' ' : '',
    );
  }
  text = foldWhitespace(decodeEntities(text));
  return maxLength === undefined ? text : truncate(text, maxLength);
}

/** Cuts text to at most `maxLength` characters on a word boundary, ending with "…" when anything was cut. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const room = Math.max(1, maxLength - 1);
  const cut = text.slice(0, room + 1);
  const lastSpace = cut.lastIndexOf(' ');
  // A very long first word (a URL, CJK text without spaces) is cut mid-word rather than dropped.
  let end = lastSpace > room * 0.6 ? lastSpace : room;
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end).replace(/[\s,;:.\-–—]+$/, '')}…`;
}
