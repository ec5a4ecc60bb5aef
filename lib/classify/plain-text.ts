const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#x') || body.startsWith('#X'))
    return codePoint(Number.parseInt(body.slice(2), 16), entity);
  if (body.startsWith('#')) return codePoint(Number.parseInt(body.slice(1), 10), entity);
  return namedEntities[body.toLowerCase()] ?? entity;
}

function codePoint(value: number, fallback: string): string {
  return Number.isInteger(value) && value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : fallback;
}

// WordPress appends "The post <title> appeared first on <site>." to every excerpt; it repeats the title
// and can name a site ("The Intercept") that reads like a signal.
const wordpressFooter = /\bThe post .{1,400}? appeared first on [^.\n]{1,80}\.?/g;

/**
 * Turns feed text that may still carry HTML (tags, entities) into plain text, so markup such as image
 * URLs or alt text never counts as evidence. Plain text passes through untouched.
 */
export function toPlainText(text: string): string {
  if (!text.includes('<') && !text.includes('&') && !text.includes('appeared first on')) return text;
  return (
    text
      .replace(/<(script|style)\b[^>]*>[^<]*<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      // Feeds cut long excerpts mid-tag; what is left of an unclosed tag is markup too.
      .replace(/<[a-z!/][^>]*$/i, ' ')
      .replace(/&(#?[a-z0-9]{1,8});/gi, decodeEntity)
      .replace(wordpressFooter, ' ')
      .replace(/[ \t\u00a0]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim()
  );
}
