import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from '#lib/feeds/sanitize.ts';

describe('sanitizeHtml', () => {
  it.each([
    [
      'keeps allowed formatting',
      '<p>Hello <b>bold</b> <em>em</em></p>',
      '<p>Hello <b>bold</b> <em>em</em></p>',
    ],
    ['removes scripts with their content', 'a<script>alert(1)</script>b', 'ab'],
    [
      'removes styles, iframes and forms',
      '<style>x</style><iframe src="x"></iframe><form><input></form>ok',
      'ok',
    ],
    [
      'removes event handlers and style attributes',
      '<p onclick="x()" style="color:red" title="t">x</p>',
      '<p title="t">x</p>',
    ],
    [
      'keeps http links and marks them',
      '<a href="https://example.com/?a=1&amp;b=2">x</a>',
      '<a href="https://example.com/?a=1&amp;b=2" rel="nofollow noopener noreferrer">x</a>',
    ],
    ['drops javascript: URLs', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['drops obfuscated javascript: URLs', '<a href="java&#x09;script:alert(1)">x</a>', '<a>x</a>'],
    ['drops data: images', '<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'],
    ['removes unknown tags but keeps their text', '<blink>old</blink> <font size="7">big</font>', 'old big'],
    ['closes unclosed tags', '<p><b>open', '<p><b>open</b></p>'],
    ['drops stray closing tags', 'a</div>b', 'ab'],
    ['escapes stray angle brackets', '1 < 2 > 0', '1 &lt; 2 &gt; 0'],
    ['keeps entities', 'caf&eacute; &amp; co', 'caf&eacute; &amp; co'],
    ['escapes a bare ampersand', 'AT&T', 'AT&amp;T'],
    ['removes comments', 'a<!-- <script>x</script> -->b', 'ab'],
    [
      'treats an unterminated tag as text',
      '<img src=x onerror=alert(1)//',
      '&lt;img src=x onerror=alert(1)//',
    ],
  ])('%s', (_behaviour, input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });

  it('resolves relative URLs against the base', () => {
    expect(sanitizeHtml('<img src="/a.png">', 'https://example.com/feed')).toBe(
      '<img src="https://example.com/a.png">',
    );
  });
});
