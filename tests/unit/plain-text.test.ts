import { describe, expect, it } from 'vitest';
import { truncate } from '#lib/plain-text.ts';
import { cleanText } from '#lib/stories/normalize.ts';

describe('cleanText', () => {
  it.each([
    ['removes tags', '<p>Hello <b>world</b></p>', 'Hello world'],
    ['keeps punctuation attached after inline tags', 'Ask <a href="x">experts</a>.', 'Ask experts.'],
    ['separates words at block tags', 'end.<p>Next</p>line<br/>break', 'end. Next line break'],
    [
      'drops scripts and styles with their content',
      'a<script>alert(1)</script>b<style>p{}</style>c',
      'a b c',
    ],
    ['drops comments', 'a<!-- hidden -->b', 'a b'],
    ['decodes named entities', 'caf&eacute; &mdash; &ldquo;quoted&rdquo;', 'café — “quoted”'],
    ['decodes numeric entities', '&#8220;x&#8221; &#x2014; &#233;', '“x” — é'],
    ['reads &#150; as the windows-1252 en dash', 'a &#150; b', 'a – b'],
    ['replaces invalid code points', 'a&#0;b&#xD800;c', 'a\ufffdb\ufffdc'],
    ['leaves unknown entities as written', 'AT&T &bogus; ok', 'AT&T &bogus; ok'],
    ['decodes once, so escaped markup stays text', '&lt;b&gt;bold&lt;/b&gt;', '<b>bold</b>'],
    ['folds whitespace including no-break spaces', '  a \n\t b&nbsp;&nbsp;c  ', 'a b c'],
    ['turns control and zero-width characters into spaces', 'a\u0007b\u200bc\ufeffd', 'a b c d'],
    ['unwraps CDATA', '<![CDATA[<i>x</i>]]>', 'x'],
    ['leaves plain text alone', 'Plain text, nothing to do.', 'Plain text, nothing to do.'],
    [
      "drops WordPress's footer",
      'Ministers met. The post Ministers meet on encryption appeared first on The Intercept.',
      'Ministers met.',
    ],
    ['drops a tag cut off by a truncated excerpt', 'Read more <a href="https://example.com/sto', 'Read more'],
    ['keeps a lone angle bracket in prose', 'Why x <y matters', 'Why x <y matters'],
    ['drops a script that is never closed, with the rest', 'safe<script>alert(1) more', 'safe'],
    ['drops an unterminated comment, with the rest', 'safe<!-- hidden', 'safe'],
    ['decodes HTML5 entities the old table lacked', 'a &check; b &NotEqualTilde; c', 'a ✓ b ≂̸ c'],
    ['strips bidi controls', 'abc\u202edef\u2066g\u2069', 'abcdefg'],
  ])('%s', (_behaviour, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('cuts long text on a word boundary and adds an ellipsis', () => {
    const text = 'one two three four five six seven eight nine ten';

    const cut = cleanText(text, 20);

    expect(cut).toBe('one two three four…');
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('does not touch text within the limit', () => {
    expect(cleanText('short text', 600)).toBe('short text');
  });
});

describe('cleanText with line breaks kept (for the classifier)', () => {
  it('keeps one line break per run and folds the other whitespace', () => {
    expect(
      cleanText('  First  line. \n\n  Second\tline<br>same <b>line</b>  ', { keepLineBreaks: true }),
    ).toBe('First line.\nSecond line same line');
  });
});

describe('truncate', () => {
  it('cuts a very long word mid-word rather than returning almost nothing', () => {
    expect(truncate(`${'x'.repeat(50)} tail`, 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('😀'.repeat(10), 6);

    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1)).toBe('😀'.repeat(2));
  });
});
