import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Story } from '#lib/stories/story.ts';
import { json, PUBLIC_URL, useWebApp } from '../../helpers/web-app.ts';

interface StoriesBody {
  stories: { id: string; topics: { why: string }[] }[];
  next: string | null;
}

const HOUR = 3_600_000;
const NOW = new Date('2026-11-30T10:00:00.000Z');

function story(n: number, topic = 'encryption'): Story {
  const firstSeenAt = new Date(NOW.getTime() - n * 5 * HOUR).toISOString();
  return {
    id: `story-${String(n).padStart(2, '0')}`,
    canonicalUrl: `https://news.example/${topic}/${n}`,
    link: `https://news.example/${topic}/${n}?utm_source=rss&utm_medium=feed`,
    title: `Encrypted messaging story number ${n} <b>bold</b>`,
    summary: `Summary ${n} about end-to-end encrypted messages.`,
    publishedAt: firstSeenAt,
    firstSeenAt,
    sources: [
      { feedId: 'feed-a', feedName: 'Daily News', link: `https://news.example/${topic}/${n}` },
      { feedId: 'feed-b', feedName: 'Evening Post', link: `https://post.example/${n}` },
    ],
    topics: [
      {
        id: topic,
        score: 0.9,
        evidence: [
          { phrase: 'end-to-end encrypted', sentence: `Access to end-to-end encrypted messages (${n}).` },
        ],
      },
    ],
    clusterId: `story-${n}`,
  };
}

describe('story archive, JSON API and Atom feeds', () => {
  const web = useWebApp();
  const stories = Array.from({ length: 25 }, (_, i) => story(i + 1));

  beforeAll(async () => {
    web.clock.now = NOW;
    await web.stack().app.stories.save([...stories, story(30, 'surveillance')], 'feed-a');
  });

  it('lists topics with their links', async () => {
    const response = await web.app().request('/api/topics');
    expect(response.status).toBe(200);
    const body = await json<{ topics: { id: string; links: { atom: string } }[] }>(response);
    expect(body.topics.map((t: { id: string }) => t.id)).toEqual([
      'encryption',
      'surveillance',
      'security-services',
      'platform-regulation',
    ]);
    expect(body.topics[0]?.links.atom).toBe(`${PUBLIC_URL}/feeds/encryption.atom`);
  });

  it('pages through a topic newest first with a cursor, each story once, with canonical URLs', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/api/stories?topic=encryption&limit=10';
    let pages = 0;
    while (path) {
      const response = await web.app().request(path);
      expect(response.status).toBe(200);
      const body = await json<StoriesBody>(response);
      seen.push(...body.stories.map((s: { id: string }) => s.id));
      if (pages === 0) {
        expect(body.stories[0]).toMatchObject({
          id: 'story-01',
          canonicalUrl: 'https://news.example/encryption/1',
          link: 'https://news.example/encryption/1?utm_source=rss&utm_medium=feed',
          url: `${PUBLIC_URL}/stories/story-01`,
        });
        expect(body.stories[0]?.topics[0]?.why).toContain('end-to-end encrypted');
      }
      path = body.next ? body.next.replace(PUBLIC_URL, '') : undefined;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(stories.map((s) => s.id));
  });

  it('honours since and until', async () => {
    const since = new Date(NOW.getTime() - 26 * HOUR).toISOString();
    const until = new Date(NOW.getTime() - 9 * HOUR).toISOString();
    const body = await json<StoriesBody>(
      await web.app().request(`/api/stories?topic=encryption&since=${since}&until=${until}`),
    );
    // Stories every 5 hours: 10h, 15h, 20h and 25h ago fall in [26h ago, 9h ago).
    expect(body.stories.map((s: { id: string }) => s.id)).toEqual([
      'story-02',
      'story-03',
      'story-04',
      'story-05',
    ]);

    const page = await (await web.app().request(`/topics/encryption?since=${since}&until=${until}`)).text();
    expect(page).toContain('Encrypted messaging story number 2 &lt;b&gt;bold&lt;/b&gt;');
    expect(page).not.toContain('story number 1 ');
    expect(page).not.toContain('story number 6 ');
  });

  it('answers bad queries with RFC 9457 problem details naming the parameter', async () => {
    const response = await web.app().request('/api/stories?topic=encryption&since=yesterday');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json<{ detail: string }>(response);
    expect(problem).toMatchObject({ status: 400, title: 'Invalid query', instance: '/api/stories' });
    expect(problem.detail).toContain('since');
    expect((await web.app().request('/api/stories')).status).toBe(400);
    expect((await web.app().request('/api/stories?topic=nope')).status).toBe(400);
    expect((await web.app().request('/api/stories?topic=encryption&cursor=bogus')).status).toBe(400);
  });

  it('serves each topic as Atom 1.0 that a feed reader parses, linking canonical URLs', async () => {
    const response = await web.app().request('/feeds/encryption.atom');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await response.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe('Cipherwatch: Encryption and lawful access');
    expect(feed.items).toHaveLength(25);
    expect(feed.items[0]?.title).toBe('Encrypted messaging story number 1 <b>bold</b>');
    expect(feed.items.map((item) => item.link)).toEqual(stories.map((s) => s.canonicalUrl));
    expect((await web.app().request('/feeds/unknown.atom')).status).toBe(404);
  });

  it('renders topic pages paginated, and story pages with sources and evidence', async () => {
    const first = await (await web.app().request('/topics/encryption')).text();
    expect(first).toContain('<title>Encryption and lawful access · Cipherwatch</title>');
    expect(first.match(/<li>\s*<div class="story-title">/g)).toHaveLength(20);
    const older = /href="(\/topics\/encryption\?cursor=[^"]+)"/.exec(first)?.[1];
    expect(older).toBeDefined();
    const second = await (await web.app().request((older as string).replace(/&amp;/g, '&'))).text();
    expect(second.match(/<li>\s*<div class="story-title">/g)).toHaveLength(5);
    expect(second).toContain('story number 25');

    const page = await (await web.app().request('/stories/story-03')).text();
    expect(page).toContain('href="https://news.example/encryption/3"');
    expect(page).toContain('Evening Post');
    expect(page).toContain('Access to end-to-end encrypted messages (3).');
  });

  it('home page shows topics, the form with labels, and the latest stories', async () => {
    const page = await (await web.app().request('/')).text();
    expect(page).toContain('<title>');
    expect(page).toContain('Encryption and lawful access');
    expect(page).toContain('Encrypted messaging story number 1');
    for (const id of [...page.matchAll(/<(?:input|select) id="([\w-]+)"/g)].map((m) => m[1])) {
      expect(page).toContain(`<label for="${id}">`);
    }
    expect(page).not.toMatch(/<script[^>]+src="https?:/);
    expect(page).not.toMatch(/<link[^>]+href="https?:/);
  });

  it('answers unknown paths with 404 and wrong methods with 405: problem JSON under /api, pages elsewhere', async () => {
    const api404 = await web.app().request('/api/nothing-here');
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toBe('application/problem+json');
    const api405 = await web.app().request('/api/topics', { method: 'DELETE' });
    expect(api405.status).toBe(405);
    expect(api405.headers.get('allow')).toContain('GET');
    expect((await json<{ status: number }>(api405)).status).toBe(405);

    const page404 = await web.app().request('/stories/does-not-exist');
    expect(page404.status).toBe(404);
    expect(page404.headers.get('content-type')).toContain('text/html');
    expect(await page404.text()).toContain('Back to the home page');
    const page405 = await web.app().request('/topics/encryption', { method: 'PUT' });
    expect(page405.status).toBe(405);
    expect(page405.headers.get('content-type')).toContain('text/html');
  });

  it('sends security headers: no third-party content, no referrer', async () => {
    const response = await web.app().request('/');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const css = await web.app().request('/site.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain(':focus-visible');
  });
});
