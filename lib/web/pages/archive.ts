import { html } from 'hono/html';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import { explainMatch } from '#lib/digest/why.ts';
import type { Story } from '#lib/stories/story.ts';
import { layout, type Markup } from './layout.ts';
import { safeLink, storyList, utcText } from './story-list.ts';

export function topicPage(
  topic: TopicDefinition,
  stories: readonly Story[],
  range: { since: string; until: string; explicit: boolean },
  olderHref: string | undefined,
): Markup {
  const body = html`<h1>${topic.name}</h1>
<p>${topic.description}</p>
<p class="muted">${range.explicit ? `Stories first seen between ${utcText(range.since)} and ${utcText(range.until)}, newest first.` : 'Newest first.'} <a href="/feeds/${topic.id}.atom">Follow in your feed reader (Atom)</a></p>
${stories.length ? storyList(stories, topic) : html`<p>No stories in this period.</p>`}
<nav class="pager" aria-label="Pages">${olderHref ? html`<a href="${olderHref}" rel="next">Older stories</a>` : html`<span></span>`}<a href="/topics/${topic.id}">Newest</a></nav>`;
  return layout(topic.name, body);
}

export function storyPage(story: Story, topics: ReadonlyMap<string, TopicDefinition>): Markup {
  const link = safeLink(story.canonicalUrl) ?? safeLink(story.link);
  const body = html`<article>
<h1>${story.title}</h1>
<p class="meta">Published <time datetime="${story.publishedAt}">${utcText(story.publishedAt)}</time> · first seen by Cipherwatch ${utcText(story.firstSeenAt)}</p>
${story.summary ? html`<p>${story.summary}</p>` : ''}
${link ? html`<p><a href="${link}" rel="noreferrer">Read it at the publisher</a></p>` : ''}
<h2>Sources</h2>
<ul>${story.sources.map((source) => {
    const href = safeLink(source.link);
    return html`<li>${href ? html`<a href="${href}" rel="noreferrer">${source.feedName}</a>` : source.feedName}</li>`;
  })}</ul>
<h2>Why it is here</h2>
<ul>${story.topics.map((match) => {
    const topic = topics.get(match.id);
    return html`<li><strong>${topic ? html`<a href="/topics/${match.id}">${topic.name}</a>` : match.id}</strong> (score ${match.score.toFixed(2)}): ${explainMatch(match, topic?.name ?? match.id)}
${match.evidence.length ? html`<ul>${match.evidence.map((evidence) => html`<li>“${evidence.phrase}” in: ${evidence.sentence}</li>`)}</ul>` : ''}</li>`;
  })}</ul>
</article>`;
  return layout(story.title, body);
}
