// The one HTML-to-text conversion (kernel): stories, the classifier and the digest all read text through it.
import { decodeHTMLStrict } from 'entities';

// Elements whose content is code or chrome, never prose: dropped with everything inside them.
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object']);
// Tags that separate words visually become a space: dropping them would glue "end.<p>Next" into "end.Next".
const BREAKING_TAGS = new Set(
  'br p div li ul ol h1 h2 h3 h4 h5 h6 tr td th table blockquote section article figure figcaption hr pre dt dd'.split(
    ' ',
  ),
);
const TAG_NAME = /\/?([A-Za-z][A-Za-z0-9]*)/y;
// What is left of a tag cut off by a truncated excerpt: a name, then an attribute being written.
const CUT_TAG = /<[A-Za-z][A-Za-z0-9]*(?:\s+[^\s=<>]+\s*=|\s*$)/y;
// A zero-width space marks a word break, so it folds into a space like the rest (\s already covers U+FEFF).
// Single plain spaces are left alone: matching only what must change makes this pass about three times faster.
const SPACE_OR_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  /[\s\u0000-\u001f\u007f-\u009f\u200b]{2,}|[^\S ]|[\u0000-\u001f\u007f-\u009f\u200b]/g;
// Bidirectional overrides, embeddings, isolates and marks: in a title they can make a digest line read
// backwards ("Trojan Source"), and plain text never needs them.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// WordPress appends "The post <title> appeared first on <site>." to every excerpt; it repeats the title and
// can name a site ("The Intercept") that reads like a signal. Both parts are bounded, so the match is linear.
const WORDPRESS_FOOTER = /\bThe post .{1,400}? appeared first on [^.\n]{1,80}\.?/g;

// With line breaks kept: runs of other whitespace fold first, then a break with the spaces around it.
const SPACE_OR_CONTROL_BUT_NEWLINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  /[^\S\n]+|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b]+/g;
const LINE_BREAK_RUN = / ?\n[\n ]*/g;

export interface CleanTextOptions {
  /** Cut on a word boundary to at most this many characters, ending with "…" when anything was cut. */
  maxLength?: number | undefined;
  /** Keep line breaks (one per run) instead of folding them into spaces: the classifier ends sentences there. */
  keepLineBreaks?: boolean | undefined;
}

// Anything the folding passes would change; text without it (most already-clean text) is returned after one scan.
const NEEDS_FOLDING =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
  /[^\S ]| {2}|^ | $|[\u0000-\u001f\u007f-\u009f\u200b\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Folds every run of whitespace (including no-break spaces) into one space, drops bidi controls, and trims. */
export function foldWhitespace(text: string): string {
  if (!NEEDS_FOLDING.test(text)) return text;
  return text.replace(BIDI_CONTROLS, '').replace(SPACE_OR_CONTROL, ' ').trim();
}

/** Like `foldWhitespace`, but each run of line breaks (with the spaces around it) stays one line break. */
function foldWhitespaceKeepingLineBreaks(text: string): string {
  if (!NEEDS_FOLDING.test(text)) return text;
  return text
    .replace(BIDI_CONTROLS, '')
    .replace(SPACE_OR_CONTROL_BUT_NEWLINE, ' ')
    .replace(LINE_BREAK_RUN, '\n')
    .trim();
}

/**
 * Turns feed HTML (or text) into clean plain text: scripts, styles and comments dropped, tags removed, entities
 * decoded once, WordPress's "appeared first on" footer dropped, bidi controls removed, whitespace folded. With
 * `maxLength`, the text is cut on a word boundary and ends with an ellipsis. Linear in the input's length,
 * whatever the input: every search moves forward and none is repeated.
 */
export function cleanText(htmlOrText: string, options: CleanTextOptions | number = {}): string {
  const { maxLength, keepLineBreaks }: CleanTextOptions =
    typeof options === 'number' ? { maxLength: options } : options;
  let text = htmlOrText;
  // The includes() checks skip whole passes on the common case; this runs for every item of every poll.
  if (text.includes('<')) text = stripMarkup(unwrapCdata(text));
  if (text.includes('&')) text = decodeHTMLStrict(text);
  if (text.includes('appeared first on')) text = text.replace(WORDPRESS_FOOTER, ' ');
  text = keepLineBreaks ? foldWhitespaceKeepingLineBreaks(text) : foldWhitespace(text);
  return maxLength === undefined ? text : truncate(text, maxLength);
}

/**
 * Feed text as the classifier reads it: HTML to plain text with line breaks kept, as sentence ends, so markup
 * (image URLs, alt text) never counts as evidence.
 */
export function toPlainText(htmlOrText: string): string {
  return cleanText(htmlOrText, { keepLineBreaks: true });
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

/** `<![CDATA[x]]>` becomes `x` (then read as HTML like the rest); an unterminated section stays as written. */
function unwrapCdata(text: string): string {
  if (!text.includes('<![CDATA[')) return text;
  const parts: string[] = [];
  let copied = 0;
  for (;;) {
    const start = text.indexOf('<![CDATA[', copied);
    if (start === -1) break;
    const end = text.indexOf(']]>', start + 9);
    // No terminator after this one means none after any later one either: stop looking.
    if (end === -1) break;
    parts.push(text.slice(copied, start), text.slice(start + 9, end));
    copied = end + 3;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Removes tags, comments and invisible elements in one forward pass. */
function stripMarkup(html: string): string {
  const parts: string[] = [];
  let copied = 0;
  let position = 0;
  // Once a search for ">" (or a closing tag) fails, it would fail from every later position too.
  let noMoreGreaterThan = false;
  const absentClosers = new Set<string>();
  const drop = (from: number, to: number, replacement: string) => {
    parts.push(html.slice(copied, from), replacement);
    copied = to;
    position = to;
  };
  for (;;) {
    const lt = html.indexOf('<', position);
    if (lt === -1) break;
    if (html.startsWith('<!--', lt)) {
      // An unterminated comment hides the rest, as it does in a browser.
      const close = html.indexOf('-->', lt + 4);
      drop(lt, close === -1 ? html.length : close + 3, ' ');
      continue;
    }
    const next = html.charCodeAt(lt + 1);
    const isDeclaration = next === 0x21 || next === 0x3f; // "<!" or "<?"
    TAG_NAME.lastIndex = lt + 1;
    const name = isDeclaration ? undefined : TAG_NAME.exec(html)?.[1]?.toLowerCase();
    if (!isDeclaration && name === undefined) {
      position = lt + 1; // "1 < 2": a lone angle bracket is text
      continue;
    }
    const gt = noMoreGreaterThan ? -1 : html.indexOf('>', lt + 1);
    if (gt === -1) {
      noMoreGreaterThan = true;
      CUT_TAG.lastIndex = lt;
      // A tag cut off mid-attribute at the end of a truncated excerpt is markup; "x <y" in prose is text.
      if (!isDeclaration && CUT_TAG.test(html)) drop(lt, html.length, ' ');
      else position = lt + 1;
      continue;
    }
    const isClosing = html.charCodeAt(lt + 1) === 0x2f;
    if (name !== undefined && !isClosing && INVISIBLE.has(name) && html.charCodeAt(gt - 1) !== 0x2f) {
      drop(lt, closingTagEnd(html, name, gt + 1, absentClosers), ' ');
      continue;
    }
    drop(lt, gt + 1, name !== undefined && BREAKING_TAGS.has(name) ? ' ' : '');
  }
  parts.push(html.slice(copied));
  return parts.join('');
}

/** Where `</name>` ends after `from`; the end of the text when the element is never closed (browsers do the same). */
function closingTagEnd(html: string, name: string, from: number, absentClosers: Set<string>): number {
  if (absentClosers.has(name)) return html.length;
  const closer = new RegExp(`</${name}\\s*>`, 'gi');
  closer.lastIndex = from;
  const match = closer.exec(html);
  if (match === null) {
    absentClosers.add(name);
    return html.length;
  }
  return match.index + match[0].length;
}
