import { beforeAll, describe, expect, it } from 'vitest';
import type { Story } from '#lib/stories/story.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { signToken, type TokenPurpose } from '#lib/subscriptions/tokens.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';
import { subscriberFor } from '../../helpers/factories.ts';
import { formPost, json, jsonPost, TOKEN_SECRET, tokenIn, useWebApp } from '../../helpers/web-app.ts';

const story: Story = {
  id: 'story-one',
  canonicalUrl: 'https://news.example/one',
  link: 'https://news.example/one?utm_source=feed',
  title: 'Ministers press messaging apps on encrypted chats',
  summary: 'The home secretary renewed demands for access to end-to-end encrypted messages.',
  publishedAt: '2026-11-30T08:00:00.000Z',
  firstSeenAt: '2026-11-30T08:05:00.000Z',
  sources: [{ feedId: 'feed-a', feedName: 'Daily News', link: 'https://news.example/one' }],
  topics: [
    {
      id: 'encryption',
      score: 0.9,
      evidence: [{ phrase: 'end-to-end encrypted', sentence: 'Access to end-to-end encrypted messages.' }],
    },
  ],
  clusterId: 'story-one',
};

const active = (email: string, overrides: Partial<Subscriber> = {}): Subscriber =>
  subscriberFor(email, { createdAt: '2026-11-01T00:00:00.000Z', ...overrides });

const token = (
  subscriber: Subscriber,
  purpose: TokenPurpose,
  extra: { expiresAt?: Date; subject?: string } = {},
) => signToken({ subscriberId: subscriber.id, purpose, ...extra }, TOKEN_SECRET);

describe('pages behind the links in emails', () => {
  const web = useWebApp();
  const get = (path: string) => web.app().request(path);
  const post = (
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ) => web.app().request(path, formPost(fields, headers));
  const stored = (subscriber: Subscriber) => web.deps().subscribers.get(subscriber.id);
  const save = (subscriber: Subscriber) =>
    web.deps().subscribers.replace(subscriber, '2026-12-01T08:00:00.000Z');

  beforeAll(async () => {
    await web.stack().app.stories.save([story], 'feed-a');
  });

  it('GET never changes state: confirm, manage, unsubscribe, export and feedback pages only show a button', async () => {
    const reader = active('get-only@example.org');
    await save(reader);
    const pending = active('get-pending@example.org', { status: 'pending' });
    await web.deps().subscribers.replace(pending, undefined);
    const before = await web.snapshot();

    const pages = await Promise.all([
      get(`/confirm?token=${token(pending, 'confirm', { expiresAt: new Date('2026-12-07T00:00:00Z') })}`),
      get(`/manage?token=${token(reader, 'manage')}`),
      get(`/unsubscribe?token=${token(reader, 'unsubscribe')}`),
      get(`/manage/export?token=${token(reader, 'manage')}`),
      get(`/feedback?token=${token(reader, 'feedback', { subject: 'story-one#encryption' })}`),
    ]);

    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await pages[0]?.text()).toMatch(/<button type="submit">Confirm<\/button>/);
    expect(await pages[2]?.text()).toMatch(/<button type="submit">Unsubscribe<\/button>/);
    expect(await web.snapshot()).toEqual(before);
  });

  it('confirms a pending sign-up on POST, once: the subscriber is active and scheduled', async () => {
    const signUp = await web
      .app()
      .request(
        '/subscriptions',
        jsonPost(
          { email: 'confirm-me@example.org', topics: ['encryption'] },
          { 'x-test-client': '198.51.100.1' },
        ),
      );
    expect(signUp.status).toBe(202);
    const [mail] = (await web.outbox()).filter((m) => m.to === 'confirm-me@example.org');
    const confirmToken = tokenIn(mail?.text ?? '', '/confirm');

    const first = await post('/confirm', { token: confirmToken });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('You are subscribed');
    const subscriber = await web.deps().subscribers.get(subscriberIdFor('confirm-me@example.org'));
    expect(subscriber?.status).toBe('active');
    const due = await web.deps().subscribers.findDue(new Date('2026-12-02T00:00:00Z'));
    expect(due.map((s) => s.email)).toContain('confirm-me@example.org');

    const again = await post('/confirm', { token: confirmToken });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Already confirmed');
  });

  it('unsubscribes with a one-click POST: 200, no redirect, and again the same', async () => {
    const reader = active('one-click@example.org');
    await save(reader);
    const oneClick = () =>
      web.app().request(`/unsubscribe?token=${token(reader, 'unsubscribe')}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        // Mail providers send no Origin and no Sec-Fetch-Site.
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });

    const first = await oneClick();
    expect(first.status).toBe(200);
    expect(first.headers.get('location')).toBeNull();
    expect((await stored(reader))?.status).toBe('unsubscribed');
    expect(await web.deps().subscribers.findDue(new Date('2026-12-02T00:00:00Z'))).not.toContainEqual(
      expect.objectContaining({ id: reader.id }),
    );

    const second = await oneClick();
    expect(second.status).toBe(200);
    expect((await stored(reader))?.status).toBe('unsubscribed');
  });

  it('unsubscribes with the button on the page', async () => {
    const reader = active('button@example.org');
    await save(reader);
    const response = await post('/unsubscribe', { token: token(reader, 'unsubscribe') });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are unsubscribed');
    expect((await stored(reader))?.status).toBe('unsubscribed');
  });

  it('tampered, expired and cross-subscriber tokens change nothing and get a calm 4xx page', async () => {
    const victim = active('victim@example.org');
    const attacker = active('attacker@example.org');
    await save(victim);
    await save(attacker);
    const pendingVictim = active('pending-victim@example.org', { status: 'pending' });
    await web.deps().subscribers.replace(pendingVictim, undefined);
    const before = await web.snapshot();

    // The attacker's own valid token with the victim's id swapped into the payload.
    const [, signature] = token(attacker, 'unsubscribe').split('.');
    const swapped = `${Buffer.from(JSON.stringify({ s: victim.id, p: 'unsubscribe' })).toString('base64url')}.${signature}`;
    const tampered = `${token(victim, 'manage').slice(0, -2)}xx`;
    const expired = token(pendingVictim, 'confirm', { expiresAt: new Date('2026-11-29T00:00:00Z') });
    const wrongPurpose = token(victim, 'manage');

    const responses = [
      await post('/unsubscribe', { token: swapped }),
      await web.app().request(`/unsubscribe?token=${swapped}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      await post('/manage', {
        token: tampered,
        topics: 'surveillance',
        frequency: 'weekly',
        timeZone: 'UTC',
        deliveryHour: '3',
      }),
      await post('/manage/delete', { token: tampered }),
      await post('/confirm', { token: expired }),
      await post('/unsubscribe', { token: wrongPurpose }),
      await get(`/manage?token=${tampered}`),
    ];

    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400, 410, 400, 400]);
    const page = await responses[0]?.text();
    expect(page).toContain('This link does not work');
    expect(page).toContain('Nothing has been changed');
    expect(page).not.toMatch(/signature|stack|Error:/i);
    expect(await web.snapshot()).toEqual(before);
  });

  it('refuses setting changes posted from another site', async () => {
    const reader = active('csrf-manage@example.org');
    await save(reader);
    const before = await web.snapshot();
    const response = await post(
      '/manage',
      {
        token: token(reader, 'manage'),
        topics: 'surveillance',
        frequency: 'weekly',
        timeZone: 'UTC',
        deliveryHour: '3',
      },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(response.status).toBe(403);
    expect(await web.snapshot()).toEqual(before);
  });

  it('manage changes topics, frequency, time zone, hour, minimum score and pause', async () => {
    const reader = active('settings@example.org');
    await save(reader);
    const manage = token(reader, 'manage');

    const saved = await post('/manage', {
      token: manage,
      topics: ['surveillance', 'security-services'],
      frequency: 'weekly',
      timeZone: 'America/New_York',
      deliveryHour: '17',
      deliveryWeekday: '5',
      minScore: '0.6',
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Your settings are saved.');
    expect(await stored(reader)).toMatchObject({
      status: 'active',
      topics: ['surveillance', 'security-services'],
      frequency: 'weekly',
      timeZone: 'America/New_York',
      deliveryHour: 17,
      deliveryWeekday: 5,
      filters: { minScore: 0.6 },
    });

    await post('/manage', {
      token: manage,
      topics: 'encryption',
      frequency: 'daily',
      timeZone: 'UTC',
      deliveryHour: '8',
      paused: 'true',
    });
    expect((await stored(reader))?.status).toBe('paused');
    const farFuture = new Date('2027-01-01T00:00:00Z');
    expect((await web.deps().subscribers.findDue(farFuture)).map((s) => s.id)).not.toContain(reader.id);

    await post('/manage', {
      token: manage,
      topics: 'encryption',
      frequency: 'daily',
      timeZone: 'UTC',
      deliveryHour: '8',
    });
    expect((await stored(reader))?.status).toBe('active');
    expect((await web.deps().subscribers.findDue(farFuture)).map((s) => s.id)).toContain(reader.id);

    const invalid = await post('/manage', {
      token: manage,
      frequency: 'daily',
      timeZone: 'Mars/Olympus',
      deliveryHour: '8',
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('Nothing was saved');
    expect((await stored(reader))?.timeZone).toBe('UTC');
  });

  it('shows what is stored and exports it as JSON', async () => {
    const reader = active('export@example.org', { topics: ['encryption', 'surveillance'] });
    await save(reader);
    const page = await (await get(`/manage?token=${token(reader, 'manage')}`)).text();
    expect(page).toContain('export@example.org');
    expect(page).toContain('Encryption and lawful access, State surveillance');

    const exported = await get(`/manage/export?token=${token(reader, 'manage')}`);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    const body = await json<Record<string, unknown>>(exported);
    expect(body.subscriber).toMatchObject({
      email: 'export@example.org',
      topics: ['encryption', 'surveillance'],
    });
    expect(body).toHaveProperty('deliveries');
    expect(body).toHaveProperty('feedback');
  });

  it('records "not relevant" feedback once per reader, story and topic', async () => {
    const reader = active('feedback@example.org');
    await save(reader);
    const feedbackToken = token(reader, 'feedback', { subject: 'story-one#encryption' });
    const page = await (await get(`/feedback?token=${feedbackToken}`)).text();
    expect(page).toContain('Ministers press messaging apps on encrypted chats');
    expect(page).toContain('Encryption and lawful access');

    expect((await post('/feedback', { token: feedbackToken })).status).toBe(200);
    expect((await post('/feedback', { token: feedbackToken })).status).toBe(200);
    const recorded = await web.deps().feedback.listForSubscriber(reader.id);
    expect(recorded).toEqual([
      expect.objectContaining({
        storyId: 'story-one',
        topicId: 'encryption',
        title: story.title,
        storyTopics: ['encryption'],
      }),
    ]);

    const otherStory = token(reader, 'feedback', { subject: 'no-such-story#encryption' });
    expect((await post('/feedback', { token: otherStory })).status).toBe(404);
  });

  it('erasure leaves nothing about the subscriber in any table', async () => {
    const email = 'erase-me@example.org';
    await web
      .app()
      .request(
        '/subscriptions',
        jsonPost({ email, topics: ['encryption'] }, { 'x-test-client': '198.51.100.50' }),
      );
    const [mail] = (await web.outbox()).filter((m) => m.to === email);
    await post('/confirm', { token: tokenIn(mail?.text ?? '', '/confirm') });
    const id = subscriberIdFor(email);
    const reader = (await web.deps().subscribers.get(id)) as Subscriber;
    await web.deps().deliveries.claim(id, 'daily:2026-12-01', new Date('2026-12-01T08:00:00Z'), 60_000);
    await web
      .deps()
      .deliveries.markSent(id, 'daily:2026-12-01', ['story-one'], '<m@x>', new Date('2026-12-01T08:00:01Z'));
    await post('/feedback', { token: token(reader, 'feedback', { subject: 'story-one#encryption' }) });
    const mentions = (snapshot: Record<string, unknown[]>) =>
      Object.entries(snapshot).flatMap(([table, items]) =>
        items
          .filter((item) => JSON.stringify(item).includes(id) || JSON.stringify(item).includes(email))
          .map(() => table),
      );
    expect(new Set(mentions(await web.snapshot()))).toEqual(
      new Set(['subscribers', 'deliveries', 'feedback', 'limits']),
    );

    const deleted = await post('/manage/delete', { token: token(reader, 'manage') });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('Everything is deleted');
    expect(mentions(await web.snapshot())).toEqual([]);
    expect((await get(`/manage?token=${token(reader, 'manage')}`)).status).toBe(404);
  });
});
