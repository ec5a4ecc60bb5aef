import { TextDecoder } from 'node:util';

/** Where the charset used to decode a body came from. */
export type CharsetSource = 'content-type' | 'bom' | 'xml-declaration' | 'default';

// Browsers (WHATWG Encoding) read these labels as windows-1252, a superset that also gives curly quotes and
// the euro sign their real characters instead of C1 control codes; GBK is likewise a superset of GB2312.
const ALIASES: Readonly<Record<string, string>> = {
  'iso-8859-1': 'windows-1252',
  iso8859_1: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  gb2312: 'gbk',
  'x-sjis': 'shift_jis',
  utf8: 'utf-8',
};

/**
 * Maps a charset label to a name the platform's TextDecoder knows (the WHATWG Encoding Standard's set,
 * with full ICU as in Node and Lambda: every charset news feeds use), or undefined when it is unknown.
 */
export function normalizeCharset(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const cleaned = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (cleaned === '') return undefined;
  const name = ALIASES[cleaned] ?? cleaned;
  return decoderFor(name) ? name : undefined;
}

/** The `charset` parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

/** The charset a byte-order mark announces, if the body starts with one. */
export function charsetFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** The `encoding` of the XML declaration (`<?xml version="1.0" encoding="..."?>`), if any. */
export function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  // A declaration in UTF-16 without a BOM shows up as ASCII interleaved with zero bytes.
  if (head.startsWith('<\0?\0x\0m\0l')) return 'utf-16le';
  if (head.startsWith('\0<\0?\0x\0m')) return 'utf-16be';
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1];
}

/**
 * Decodes a feed body to a JS string. The charset comes from the Content-Type header, else the byte-order
 * mark, else the XML declaration, else UTF-8 — the header wins as RFC 3023 says for XML over HTTP.
 * Unknown labels are skipped, so a typo in one place still lets the next source decide.
 */
export function decodeFeedBody(
  bytes: Uint8Array,
  contentType?: string,
): { text: string; charset: string; source: CharsetSource } {
  const candidates: Array<[CharsetSource, string | undefined]> = [
    ['content-type', charsetFromContentType(contentType)],
    ['bom', charsetFromBom(bytes)],
    ['xml-declaration', charsetFromXmlDeclaration(bytes)],
  ];
  for (const [source, label] of candidates) {
    const charset = normalizeCharset(label);
    if (charset !== undefined) return { text: decodeWith(bytes, charset), charset, source };
  }
  return { text: decodeWith(bytes, 'utf-8'), charset: 'utf-8', source: 'default' };
}

/**
 * windows-1252 at 0x80–0x9F (the rest is Latin-1). Written out because Node's TextDecoder decodes
 * windows-1252 (and ISO-8859-1, which the Encoding Standard treats as it) as plain Latin-1, turning
 * curly quotes, dashes and the euro sign into control characters (nodejs/node#56542).
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const codes = new Array<number>(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    codes[i] = byte >= 0x80 && byte < 0xa0 ? (WINDOWS_1252_HIGH[byte - 0x80] as number) : byte;
  }
  let text = '';
  for (let start = 0; start < codes.length; start += 8192) {
    text += String.fromCharCode(...codes.slice(start, start + 8192));
  }
  return text;
}

const decoders = new Map<string, TextDecoder | undefined>();

function decoderFor(name: string): TextDecoder | undefined {
  if (!decoders.has(name)) {
    let decoder: TextDecoder | undefined;
    try {
      decoder = new TextDecoder(name);
    } catch {
      decoder = undefined;
    }
    decoders.set(name, decoder);
  }
  return decoders.get(name);
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  const decoder = decoderFor(charset) ?? new TextDecoder('utf-8');
  const text = decoder.encoding === 'windows-1252' ? decodeWindows1252(bytes) : decoder.decode(bytes);
  // A UTF-8 BOM survives when the header named another charset that happens to map it to U+FEFF.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
