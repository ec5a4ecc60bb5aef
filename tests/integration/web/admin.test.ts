import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { feedIdFor } from '#lib/feeds/feed.ts';
import { subscribersCsv } from '#lib/web/routes/admin.ts';
import { ADMIN_KEY, json, useWebApp } from '../../helpers/web-app.ts';

type FeedBody = { feed: Record<string, unknown> };

describe('admin API', () => {
  const web = useWebApp();
  const admin = (path: string, init: RequestInit = {}) =>
    web.app().request(path, {
      ...init,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });

  it('refuses every admin route without the right key: 401 problem details', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/admin/feeds'],
      ['POST', '/api/admin/feeds'],
      ['DELETE', '/api/admin/feeds/abc'],
      ['POST', '/api/admin/feeds/abc/disable'],
      ['GET', '/api/admin/subscribers'],
      ['GET', '/api/admin/subscribers.csv'],
      ['DELETE', '/api/admin/subscribers/abc'],
      ['POST', '/api/admin/rounds/poll'],
      ['POST', '/api/admin/rounds/digest'],
    ];
    for (const [method, path] of routes) {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-key' },
        { authorization: ADMIN_KEY },
      ] as Record<string, string>[]) {
        const response = await web.app().request(path, { method, headers });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
      }
    }
  });

  it('adds, lists, disables, enables and removes feeds', async () => {
    const added = await admin('/api/admin/feeds', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://feeds.example.org/policy.xml', name: 'Policy Wire' }),
    });
    expect(added.status).toBe(201);
    const id = feedIdFor('https://feeds.example.org/policy.xml');
    expect((await json<FeedBody>(added)).feed).toMatchObject({ id, name: 'Policy Wire', enabled: true });

    const again = await admin('/api/admin/feeds', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://feeds.example.org/policy.xml' }),
    });
    expect(again.status).toBe(409);
    const invalid = await admin('/api/admin/feeds', {
      method: 'POST',
      body: JSON.stringify({ url: 'ftp://nope' }),
    });
    expect(invalid.status).toBe(400);

    const disabled = await admin(`/api/admin/feeds/${id}/disable`, { method: 'POST' });
    expect((await json<FeedBody>(disabled)).feed).toMatchObject({
      enabled: false,
      disabledReason: 'Disabled by an operator.',
    });
    const enabled = await admin(`/api/admin/feeds/${id}/enable`, { method: 'POST' });
    expect((await json<FeedBody>(enabled)).feed.enabled).toBe(true);

    const listed = await json<{ feeds: { id: string }[] }>(await admin('/api/admin/feeds'));
    expect(listed.feeds.map((f: { id: string }) => f.id)).toContain(id);

    expect((await admin(`/api/admin/feeds/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await admin(`/api/admin/feeds/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists subscribers, exports them as CSV and removes one by address', async () => {
    const { subscribers } = web.deps();
    for (const email of ['a@example.org', 'b@example.org']) {
      await web.app().request('/subscriptions', {
        method: 'POST',
        body: JSON.stringify({ email, topics: ['encryption'] }),
        headers: { 'content-type': 'application/json', 'x-test-client': email },
      });
    }
    const listed = await json<{ subscribers: { email: string }[] }>(await admin('/api/admin/subscribers'));
    expect(listed.subscribers.map((s: { email: string }) => s.email)).toEqual([
      'a@example.org',
      'b@example.org',
    ]);

    const csv = await admin('/api/admin/subscribers.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,email,status,topics,frequency,timeZone,deliveryHour,deliveryWeekday,createdAt');
    expect(lines[1]).toContain(',a@example.org,pending,encryption,daily,UTC,8,,');

    expect((await admin('/api/admin/subscribers/a@example.org', { method: 'DELETE' })).status).toBe(204);
    expect((await subscribers.list()).map((s) => s.email)).toEqual(['b@example.org']);
  });

  it('queues a poll of every enabled feed and a digest round', async () => {
    const { sqs, queueUrl } = web.stack().app;
    await admin('/api/admin/feeds', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://one.example/feed' }),
    });
    await admin('/api/admin/feeds', {
      method: 'POST',
      body: JSON.stringify({ url: 'https://two.example/feed' }),
    });
    await admin(`/api/admin/feeds/${feedIdFor('https://two.example/feed')}/disable`, { method: 'POST' });

    const poll = await admin('/api/admin/rounds/poll', { method: 'POST' });
    expect(poll.status).toBe(202);
    expect(await json(poll)).toEqual({ round: 'poll', queued: 1 });
    const waiting = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await queueUrl('pollFeeds'),
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(waiting.Attributes?.ApproximateNumberOfMessages).toBe('1');

    const due = await admin('/api/admin/rounds/digest', { method: 'POST' });
    expect(await json(due)).toEqual({ round: 'digest', mode: 'due', queued: 0 });
    const bad = await admin('/api/admin/rounds/digest', { method: 'POST', body: '{"mode":"sometime"}' });
    expect(bad.status).toBe(400);
  });

  it('writes CSV a spreadsheet will not run as formulas', () => {
    const csv = subscribersCsv([
      {
        id: 'x',
        email: '=HYPERLINK("http://evil")@example.org',
        topics: ['encryption'],
        frequency: 'daily',
        timeZone: 'UTC',
        deliveryHour: 8,
        status: 'active',
        createdAt: '2026-11-30T00:00:00.000Z',
      },
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")@example.org"`);
  });
});
