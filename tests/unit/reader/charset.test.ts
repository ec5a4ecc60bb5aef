import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBody } from '#lib/reader/charset.ts';

const xml = (encoding: string | undefined, text: string) =>
  `<?xml version="1.0"${encoding ? ` encoding="${encoding}"` : ''}?><rss><channel><title>${text}</title></channel></rss>`;

describe('decodeFeedBody', () => {
  it.each([
    ['windows-1251', 'Шифрование под угрозой'],
    ['Shift_JIS', '暗号化をめぐる議論'],
    ['GB2312', '加密通信受到威胁'],
    ['ISO-8859-1', 'Datenschützer «Ça va»'],
    ['windows-1252', '“Encryption” costs €5 – or more'],
    ['ISO-8859-5', 'Слежка'],
    ['ISO-8859-2', 'Zażółć gęślą jaźń'],
  ])('decodes %s named by the XML declaration', (encoding, text) => {
    const bytes = iconv.encode(xml(encoding, text), encoding);

    const decoded = decodeFeedBody(bytes);

    expect(decoded.text).toContain(text);
    expect(decoded.source).toBe('xml-declaration');
  });

  it('lets the Content-Type charset win over the XML declaration', () => {
    const bytes = iconv.encode(xml('utf-8', 'Новости'), 'windows-1251');

    const decoded = decodeFeedBody(bytes, 'application/rss+xml; charset=windows-1251');

    expect(decoded.text).toContain('Новости');
    expect(decoded.source).toBe('content-type');
  });

  it('reads a quoted charset parameter', () => {
    const bytes = iconv.encode(xml(undefined, 'ニュース'), 'shift_jis');

    expect(decodeFeedBody(bytes, 'text/xml; charset="Shift_JIS"').text).toContain('ニュース');
  });

  it('uses the BOM when the header names no charset', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(xml('windows-1251', 'Überwachung'), 'utf-16le'),
    ]);

    const decoded = decodeFeedBody(bytes, 'text/xml');

    expect(decoded.text.startsWith('<?xml')).toBe(true);
    expect(decoded.text).toContain('Überwachung');
    expect(decoded.source).toBe('bom');
  });

  it('strips a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml(undefined, 'é'))]);

    expect(decodeFeedBody(bytes).text.startsWith('<?xml')).toBe(true);
  });

  it('falls back to UTF-8 when nothing names a charset', () => {
    const decoded = decodeFeedBody(Buffer.from(xml(undefined, 'Grüße')));

    expect(decoded).toMatchObject({ charset: 'utf-8', source: 'default' });
    expect(decoded.text).toContain('Grüße');
  });

  it('skips an unknown charset label and lets the next source decide', () => {
    const bytes = iconv.encode(xml('windows-1251', 'Новости'), 'windows-1251');

    const decoded = decodeFeedBody(bytes, 'text/xml; charset=no-such-charset');

    expect(decoded.text).toContain('Новости');
  });

  it('decodes ISO-8859-1 as windows-1252 so curly quotes are not control characters', () => {
    const bytes = Buffer.from([0x93, 0x61, 0x94]);

    expect(decodeFeedBody(bytes, 'text/plain; charset=iso-8859-1').text).toBe('“a”');
  });
});
