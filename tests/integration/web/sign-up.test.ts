import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';
import { formPost, json, jsonPost, tokenIn, useWebApp } from '../../helpers/web-app.ts';

const MINUTE = 60_000;

describe('POST /subscriptions', () => {
  const web = useWebApp();
  let client = 0;
  /** Each test signs up from its own address, so the per-client limit only bites where a test wants it. */
  const nextClient = () => `203.0.113.${++client}`;
  const signUp = (email: string, ip = nextClient(), extra: Record<string, unknown> = {}) =>
    web
      .app()
      .request(
        '/subscriptions',
        jsonPost({ email, topics: ['encryption'], ...extra }, { 'x-test-client': ip }),
      );
  const advance = (ms: number) => {
    web.clock.now = new Date(web.clock.now.getTime() + ms);
  };
  const mailsTo = async (email: string) => (await web.outbox()).filter((mail) => mail.to === email);

  it('answers new, pending, active and unsubscribed addresses with the same status and body', async () => {
    const { subscribers } = web.deps();
    const answers: { status: number; body: string }[] = [];
    const record = async (response: Response) =>
      answers.push({ status: response.status, body: await response.text() });

    await record(await signUp('new@example.org'));
    await record(await signUp('new@example.org')); // now pending
    const active = subscriberIdFor('active@example.org');
    await signUp('active@example.org');
    const pending = await subscribers.get(active);
    await subscribers.replace({ ...(pending as NonNullable<typeof pending>), status: 'active' }, undefined);
    await record(await signUp('active@example.org'));
    await subscribers.replace(
      { ...(pending as NonNullable<typeof pending>), status: 'unsubscribed' },
      undefined,
    );
    await record(await signUp('active@example.org'));

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(JSON.parse(answers[0]?.body ?? '{}')).toMatchObject({ status: 'accepted' });
  });

  it('answers the HTML form with the same page whatever the address', async () => {
    const fields = { email: 'form@example.org', topics: ['encryption', 'surveillance'], frequency: 'daily' };
    const first = await web
      .app()
      .request('/subscriptions', formPost(fields, { 'x-test-client': nextClient() }));
    const second = await web
      .app()
      .request('/subscriptions', formPost(fields, { 'x-test-client': nextClient() }));
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(await first.text()).toBe(await second.text());
  });

  it('stores a pending subscriber that expires after 7 days and mails a confirmation link that does too', async () => {
    await signUp('pending@example.org');
    const item = await web.stack().app.dynamodb.send(
      new GetCommand({
        TableName: 'cipherwatch-subscribers',
        Key: { id: subscriberIdFor('pending@example.org') },
      }),
    );
    expect(item.Item?.status).toBe('pending');
    expect(item.Item?.expiresAt).toBe(Math.floor(web.clock.now.getTime() / 1000) + 7 * 86_400);
    expect(item.Item?.scheduleBucket).toBeUndefined();

    const [mail] = await mailsTo('pending@example.org');
    const token = tokenIn(mail?.text ?? '', '/confirm');
    const payload = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    expect(payload.e).toBe(Math.floor(web.clock.now.getTime() / 1000) + 7 * 86_400);
    expect(mail?.text).toContain('https://cipherwatch.test/confirm?token=');
  });

  it('never echoes what the visitor typed into the confirmation mail', async () => {
    await signUp('click-here-to-win@example.org', nextClient(), {
      topics: ['encryption', 'platform-regulation'],
    });
    const [mail] = await mailsTo('click-here-to-win@example.org');
    expect(mail?.subject).toBe('Confirm your Cipherwatch subscription');
    expect(mail?.text).not.toContain('click-here-to-win');
    expect(mail?.html).not.toContain('click-here-to-win');
    expect(mail?.text).not.toMatch(/platform/i);
  });

  it('points an active reader who signs up again to their manage page, through the digest sender', async () => {
    const email = 'again@example.org';
    await signUp(email);
    expect(await mailsTo(email)).toHaveLength(1);
    const pending = await web.deps().subscribers.get(subscriberIdFor(email));
    await web
      .deps()
      .subscribers.replace({ ...(pending as NonNullable<typeof pending>), status: 'active' }, undefined);
    advance(16 * MINUTE);

    await signUp(email);

    const mails = await mailsTo(email);
    expect(mails.map((mail) => mail.subject).sort()).toEqual([
      'Confirm your Cipherwatch subscription',
      'You are already subscribed to Cipherwatch',
    ]);
    const pointer = mails.find((mail) => mail.subject.startsWith('You are already'));
    expect(pointer?.text).toContain('https://cipherwatch.test/manage?token=');
    expect(
      web
        .deliveries()
        .filter((outcome) => outcome.subscriberId === subscriberIdFor(email))
        .map((outcome) => [outcome.kind, outcome.status]),
    ).toEqual([
      ['sign-up-mail', 'sent'],
      ['sign-up-mail', 'sent'],
    ]);
  });

  it('sends at most one confirmation mail per 15 minutes and never a 4th in a day', async () => {
    const email = 'often@example.org';
    await signUp(email);
    advance(5 * MINUTE);
    await signUp(email); // within 15 minutes: held back
    expect(await mailsTo(email)).toHaveLength(1);
    advance(15 * MINUTE);
    await signUp(email);
    advance(16 * MINUTE);
    await signUp(email);
    expect(await mailsTo(email)).toHaveLength(3);
    advance(16 * MINUTE);
    const fourth = await signUp(email);
    expect(fourth.status).toBe(202);
    expect(await mailsTo(email)).toHaveLength(3);
    advance(24 * 60 * MINUTE);
    await signUp(email);
    expect(await mailsTo(email)).toHaveLength(4);
  });

  it('refuses a client over its hourly limit with 429, while other clients still get through', async () => {
    const ip = '192.0.2.99';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signUp(`flood${i}@example.org`, ip)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(202));
    const refused = await signUp('flood-last@example.org', ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(await web.deps().subscribers.get(subscriberIdFor('flood-last@example.org'))).toBeUndefined();
    expect((await signUp('elsewhere@example.org', '192.0.2.100')).status).toBe(202);
  });

  it('accepts a filled honeypot silently: same answer, nothing stored, nothing sent', async () => {
    const response = await signUp('bot@example.org', nextClient(), { website: 'http://spam.example' });
    expect(response.status).toBe(202);
    expect(await web.deps().subscribers.get(subscriberIdFor('bot@example.org'))).toBeUndefined();
    expect(await mailsTo('bot@example.org')).toHaveLength(0);
  });

  it('explains invalid input field by field, in JSON and on the form', async () => {
    const answer = await web
      .app()
      .request(
        '/subscriptions',
        jsonPost({ email: 'not-an-address', topics: [] }, { 'x-test-client': nextClient() }),
      );
    expect(answer.status).toBe(400);
    const problem = await json<{ errors: unknown }>(answer);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'email', message: 'not a valid email address' },
        { field: 'topics', message: 'choose at least one topic' },
      ]),
    );
    const form = await web
      .app()
      .request(
        '/subscriptions',
        formPost({ email: 'typo@example', frequency: 'daily' }, { 'x-test-client': nextClient() }),
      );
    expect(form.status).toBe(400);
    const page = await form.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain('Email address: not a valid email address');
    expect(page).toContain('value="typo@example"');
  });

  it('refuses a form posted from another site and stores nothing', async () => {
    const response = await web
      .app()
      .request(
        '/subscriptions',
        formPost(
          { email: 'csrf@example.org', topics: 'encryption' },
          { origin: 'https://evil.example', 'x-test-client': nextClient() },
        ),
      );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('another site');
    expect(await web.deps().subscribers.get(subscriberIdFor('csrf@example.org'))).toBeUndefined();
  });
});
