import type { Digest, DigestEntry } from '#lib/digest/digest.ts';
import { type RenderContext, type RenderedEmail, renderDigest } from '#lib/digest/render.ts';
import { makeStory, makeSubscriber } from './factories.ts';

export const CONTEXT: RenderContext = {
  subscriber: makeSubscriber({ email: 'reader@example.org' }),
  unsubscribeUrl: 'https://cipherwatch.example/unsubscribe?token=abc.def',
  manageUrl: 'https://cipherwatch.example/manage?token=ghi.jkl',
  unsubscribeMailto: 'mailto:unsubscribe@cipherwatch.example?subject=unsubscribe',
  listId: 'digests.cipherwatch.example',
};

export const STORY_LINKS = [
  'https://courier.example/home-secretary-e2ee',
  'https://eurowire.example/chat-control?ref=a&b=c',
];

function entry(id: string, link: string, title: string): DigestEntry {
  return {
    story: makeStory({ id, link, title, publishedAt: '2026-03-29T07:15:00.000Z' }),
    score: 0.9,
    why: 'Matched "end-to-end encryption" in: “Ministers want access.”',
    alsoReportedBy: ['Northern Herald'],
  };
}

/** A rendered two-story digest with a hostile title, as the mail tests send it. */
export function renderedDigest(): RenderedEmail {
  const entries = [
    entry('a', STORY_LINKS[0] ?? '', 'Home secretary demands access to encrypted messages'),
    entry('b', STORY_LINKS[1] ?? '', 'Chat Control vote "><img src=x> delayed in Brussels'),
  ];
  const digest: Digest = {
    subscriberId: 'sub-1',
    windowKey: 'daily:2026-03-29',
    sections: [{ topicId: 'encryption', topicName: 'Encryption', entries, moreCount: 2 }],
    storyIds: ['a', 'b'],
    clusterIds: ['cluster-a', 'cluster-b'],
    totalStories: 4,
  };
  return renderDigest(digest, CONTEXT);
}

/** Every href in an HTML document, entity-decoded. */
export function hrefsIn(html: string): string[] {
  return [...html.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((match) =>
    (match[1] ?? '').replaceAll('&amp;', '&'),
  );
}
