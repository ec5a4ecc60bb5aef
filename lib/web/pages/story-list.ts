import { html } from 'hono/html';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import { explainMatch } from '#lib/digest/why.ts';
import { parseHttpUrl } from '#lib/http-url.ts';
import type { Story } from '#lib/stories/story.ts';
import type { Markup } from './layout.ts';

/** A time as UTC text a person reads, e.g. `30 Nov 2026, 08:15 UTC`. */
export function utcText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return `${new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms)} UTC`;
}

/** Only http(s) links reach an href: a feed cannot smuggle a javascript: URL onto the page. */
export function safeLink(url: string | undefined): string | undefined {
  return url === undefined ? undefined : parseHttpUrl(url)?.href;
}

/** Why a story is on a topic, in the words digests use. */
export function whyLine(story: Story, topic: Pick<TopicDefinition, 'id' | 'name'> | undefined): string {
  const match = story.topics.find((candidate) => candidate.id === topic?.id) ?? story.topics[0];
  return match ? explainMatch(match, topic?.name ?? match.id) : '';
}

/** Stories as a list: headline to the publisher's canonical page, source, time and the "why". */
export function storyList(stories: readonly Story[], topic: TopicDefinition | undefined): Markup {
  return html`<ol class="stories">
${stories.map((story) => {
  const link = safeLink(story.canonicalUrl) ?? safeLink(story.link);
  return html`<li>
<div class="story-title">${link ? html`<a href="${link}" rel="noreferrer">${story.title}</a>` : story.title}</div>
<div class="meta">${story.sources[0]?.feedName ?? 'Unknown source'} · <time datetime="${story.publishedAt}">${utcText(story.publishedAt)}</time> · <a href="/stories/${story.id}">details</a></div>
<div class="why">${whyLine(story, topic)}</div>
</li>`;
})}
</ol>`;
}
