import { describe, expect, it } from 'vitest';
import type { Digest, DigestEntry } from '#lib/digest/digest.ts';
import { type RenderContext, RenderError, renderDigest } from '#lib/digest/render.ts';
import { makeStory, makeSubscriber } from '../../helpers/factories.ts';

const CONTEXT: RenderContext = {
  subscriber: makeSubscriber({ timeZone: 'Europe/London', deliveryHour: 8 }),
  unsubscribeUrl: 'https://cipherwatch.example/unsubscribe?token=abc.def',
  manageUrl: 'https://cipherwatch.example/manage?token=ghi.jkl',
  unsubscribeMailto: 'mailto:unsubscribe@cipherwatch.example?subject=unsubscribe%20abc',
  listId: 'digests.cipherwatch.example',
};

function entry(overrides: Partial<DigestEntry> & { id: string; link?: string; title?: string }): DigestEntry {
  return {
    story: makeStory({
      id: overrides.id,
      link: overrides.link ?? `https://courier.example/${overrides.id}`,
      title: overrides.title ?? 'Home secretary demands access to encrypted messages',
      summary: 'Messaging firms were told to give the security services access after the attack.',
      publishedAt: '2026-03-29T07:15:00.000Z',
    }),
    score: 0.9,
    why: 'Matched "end-to-end encryption" in: “The home secretary wants access.”',
    alsoReportedBy: [],
    ...overrides,
  };
}

function digestOf(entries: DigestEntry[], overrides: Partial<Digest> = {}): Digest {
  return {
    subscriberId: 'sub-1',
    windowKey: 'daily:2026-03-29',
    sections: [{ topicId: 'encryption', topicName: 'Encryption', entries, moreCount: 0 }],
    storyIds: entries.map((e) => e.story.id),
    clusterIds: entries.map((e) => e.story.clusterId),
    totalStories: entries.length,
    ...overrides,
  };
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => (match[1] ?? '').replaceAll('&amp;', '&'));
}

describe('renderDigest', () => {
  it('names the count and topics in the subject', () => {
    const digest = digestOf([entry({ id: 'a' }), entry({ id: 'b' })], {
      sections: [
        { topicId: 'encryption', topicName: 'Encryption', entries: [entry({ id: 'a' })], moreCount: 5 },
        { topicId: 'surveillance', topicName: 'Surveillance', entries: [entry({ id: 'b' })], moreCount: 0 },
      ],
      totalStories: 7,
    });

    expect(renderDigest(digest, CONTEXT).subject).toBe(
      'Cipherwatch daily: 7 stories on Encryption, Surveillance',
    );
  });

  it('words an alert subject as new stories', () => {
    const digest = digestOf([entry({ id: 'a' }), entry({ id: 'b' })], { windowKey: 'instant:poll-1' });

    expect(renderDigest(digest, CONTEXT).subject).toBe('Cipherwatch alert: 2 new stories on Encryption');
  });

  it('uses the singular for one story', () => {
    expect(renderDigest(digestOf([entry({ id: 'a' })]), CONTEXT).subject).toBe(
      'Cipherwatch daily: 1 story on Encryption',
    );
  });

  it('sets the one-click unsubscribe and list headers', () => {
    const { headers } = renderDigest(digestOf([entry({ id: 'a' })]), CONTEXT);

    expect(headers).toEqual({
      'List-Unsubscribe': `<${CONTEXT.unsubscribeUrl}>, <${CONTEXT.unsubscribeMailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': 'Cipherwatch digests <digests.cipherwatch.example>',
    });
  });

  it.each(['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='x"])(
    'escapes the hostile title %j',
    (title) => {
      const { html } = renderDigest(digestOf([entry({ id: 'a', title })]), CONTEXT);

      expect(html).not.toContain('<script');
      expect(html).not.toMatch(/<img/i);
      expect(html).not.toContain(title);
      expect(html).not.toMatch(/<[^>]+\son\w+=/i);
    },
  );

  it('escapes hostile summaries, why lines, sources and topic names', () => {
    const hostile = '<b onclick="x">&</b>';
    const item = entry({ id: 'a', why: hostile, alsoReportedBy: [hostile] });
    item.story.summary = hostile;
    item.story.sources = [{ feedId: 'f', feedName: hostile, link: item.story.link }];
    const digest = digestOf([item], {
      sections: [{ topicId: 'x', topicName: hostile, entries: [item], moreCount: 1 }],
    });

    const { html } = renderDigest(digest, CONTEXT);

    expect(html).not.toContain('<b onclick');
    expect(html).toContain('&lt;b onclick=&quot;x&quot;&gt;&amp;&lt;/b&gt;');
  });

  it('contains no images, scripts, remote styles or tracking', () => {
    const { html } = renderDigest(digestOf([entry({ id: 'a' })]), CONTEXT);

    expect(html).not.toMatch(/<img|<script|<link|<iframe|url\(|@import/i);
  });

  it('links only to the stories themselves and to the manage and unsubscribe pages', () => {
    const entries = [entry({ id: 'a' }), entry({ id: 'b', link: 'https://herald.example/b?x=1&y=2' })];

    const { html } = renderDigest(digestOf(entries), CONTEXT);

    expect(hrefs(html).sort()).toEqual(
      [
        'https://courier.example/a',
        'https://herald.example/b?x=1&y=2',
        CONTEXT.manageUrl,
        CONTEXT.unsubscribeUrl,
      ].sort(),
    );
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'https://user:pw@evil.example/', 'not a url'])(
    'drops the unsafe story link %j and shows the title without a link',
    (link) => {
      const item = entry({ id: 'a', link });
      item.story.canonicalUrl = link;

      const { html, text } = renderDigest(digestOf([item]), CONTEXT);

      expect(hrefs(html)).toEqual([CONTEXT.manageUrl, CONTEXT.unsubscribeUrl]);
      expect(html).toContain('Home secretary demands access to encrypted messages');
      expect(text).not.toContain(link);
    },
  );

  it('shows story times on the subscriber clock', () => {
    const { html, text } = renderDigest(digestOf([entry({ id: 'a' })]), CONTEXT);

    expect(html).toContain('Sun 29 Mar, 08:15 BST');
    expect(text).toContain('Sun 29 Mar, 08:15 BST');
  });

  it('writes a plain-text part with title, source, why line, link and footer links', () => {
    const item = entry({ id: 'a', alsoReportedBy: ['Northern Herald'] });

    const { text } = renderDigest(digestOf([item]), CONTEXT);

    expect(text).toContain('* Home secretary demands access to encrypted messages');
    expect(text).toContain('The Daily Courier · Sun 29 Mar, 08:15 BST');
    expect(text).toContain('Why it’s here: Matched "end-to-end encryption"');
    expect(text).toContain('Also reported by Northern Herald');
    expect(text).toContain('https://courier.example/a');
    expect(text).toContain(`Unsubscribe: ${CONTEXT.unsubscribeUrl}`);
    expect(text).toContain(`Change topics, time or frequency: ${CONTEXT.manageUrl}`);
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('tells the reader how many more stories the cap left out', () => {
    const digest = digestOf([entry({ id: 'a' })], {
      sections: [
        { topicId: 'encryption', topicName: 'Encryption', entries: [entry({ id: 'a' })], moreCount: 3 },
      ],
    });

    const { html, text } = renderDigest(digest, CONTEXT);

    expect(html).toContain('And 3 more stories on Encryption in this period.');
    expect(text).toContain('And 3 more stories on Encryption in this period.');
  });

  it('explains in the footer why the reader gets this email', () => {
    const { text } = renderDigest(digestOf([entry({ id: 'a' })]), CONTEXT);

    expect(text).toContain('sent each day at 08:00 (Europe/London time), because you subscribed to it.');
  });

  it('keeps line breaks out of the subject', () => {
    const digest = digestOf([entry({ id: 'a' })], {
      sections: [
        { topicId: 'x', topicName: 'Encryption\r\nBcc: victim@example.org', entries: [], moreCount: 1 },
      ],
    });

    expect(renderDigest(digest, CONTEXT).subject).not.toMatch(/[\r\n]/);
  });

  it.each([
    ['unsubscribeUrl', { unsubscribeUrl: 'javascript:alert(1)' }],
    ['unsubscribeUrl', { unsubscribeUrl: 'https://x.example/u\r\nBcc: a@b' }],
    ['unsubscribeMailto', { unsubscribeMailto: 'https://x.example' }],
    ['manageUrl', { manageUrl: 'ftp://x.example' }],
  ])('refuses an unsafe %s', (field, override) => {
    expect(() => renderDigest(digestOf([entry({ id: 'a' })]), { ...CONTEXT, ...override })).toThrow(
      RenderError,
    );
    expect(() => renderDigest(digestOf([entry({ id: 'a' })]), { ...CONTEXT, ...override })).toThrow(field);
  });

  it('adds a signed "not relevant?" link per story and topic when the deployment takes feedback', () => {
    const rendered = renderDigest(digestOf([entry({ id: 'a' }), entry({ id: 'b' })]), {
      ...CONTEXT,
      feedbackUrlFor: (storyId, topicId) =>
        `https://cipherwatch.example/feedback?token=${storyId}-${topicId}`,
    });

    expect(rendered.html).toContain('<a href="https://cipherwatch.example/feedback?token=a-encryption"');
    expect(rendered.html).toContain('>Not relevant?</a>');
    expect(rendered.text).toContain(
      '  Not relevant? https://cipherwatch.example/feedback?token=b-encryption',
    );
    expect(renderDigest(digestOf([entry({ id: 'a' })]), CONTEXT).html).not.toContain('Not relevant?');
  });
});
