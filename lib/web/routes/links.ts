import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { nextDigestAt } from '../../subscriptions/schedule.ts';
import type { Subscriber } from '../../subscriptions/subscriber.ts';
import { signToken } from '../../subscriptions/tokens.ts';
import { parseSubscriberInput, SubscriberInputError } from '../../subscriptions/validate.ts';
import { formCsrfGuard } from '../csrf.ts';
import type { WebDependencies } from '../dependencies.ts';
import { eraseSubscriber } from '../erase.ts';
import { verifyLinkToken } from '../link-tokens.ts';
import { messagePage } from '../pages/layout.ts';
import { actionPage, feedbackPage, managePage } from '../pages/subscription.ts';
import { HttpProblem } from '../problem.ts';
import { confirmSubscriber } from '../sign-up.ts';

const noSubscription = () =>
  new HttpProblem(
    404,
    'No subscription for this link',
    'This address is no longer subscribed, or its data was deleted. You can subscribe again from the home page.',
  );

/**
 * The pages behind the links in emails. GET only shows a page with a button (mail scanners follow
 * links); POST acts, and acting twice is the same as acting once. Form POSTs are CSRF-checked, except
 * the RFC 8058 one-click unsubscribe, which mail providers send without an Origin.
 */
export function registerLinkRoutes(app: Hono, deps: WebDependencies): void {
  const csrfGuard = formCsrfGuard(deps.publicUrl);
  const formToken = async (c: Context) => {
    const body = await c.req.parseBody();
    return typeof body.token === 'string' ? body.token : c.req.query('token');
  };
  const load = async (subscriberId: string) => {
    const subscriber = await deps.subscribers.get(subscriberId);
    if (!subscriber) throw noSubscription();
    return subscriber;
  };
  const sign = async (subscriberId: string, purpose: 'manage' | 'unsubscribe') =>
    signToken({ subscriberId, purpose }, await deps.tokenSecret());
  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

  app.get('/confirm', async (c) => {
    const token = c.req.query('token');
    await verifyLinkToken(token, 'confirm', deps);
    noStore(c);
    return c.html(
      await actionPage(
        'Confirm your subscription',
        'Press the button to start receiving Cipherwatch digests at this address.',
        '/confirm',
        token as string,
        'Confirm',
      ),
    );
  });

  app.post('/confirm', csrfGuard, async (c) => {
    const payload = await verifyLinkToken(await formToken(c), 'confirm', deps);
    const subscriber = await load(payload.subscriberId);
    if (subscriber.status !== 'pending' && subscriber.status !== 'active' && subscriber.status !== 'paused') {
      throw new HttpProblem(
        409,
        'This sign-up is closed',
        'This address unsubscribed or stopped receiving mail since the link was sent. Subscribe again from the home page to start over.',
      );
    }
    const confirmed = await confirmSubscriber(subscriber, deps);
    const manage = `/manage?token=${await sign(subscriber.id, 'manage')}`;
    noStore(c);
    return c.html(
      await messagePage(
        confirmed ? 'You are subscribed' : 'Already confirmed',
        confirmed
          ? 'Thank you. Your first digest comes at the time you chose.'
          : 'This subscription was already confirmed; nothing has changed.',
        html`<p><a href="${manage}">Manage your subscription</a></p>`,
      ),
    );
  });

  app.get('/manage', async (c) => {
    const token = c.req.query('token');
    const payload = await verifyLinkToken(token, 'manage', deps);
    noStore(c);
    return c.html(await renderManage(await load(payload.subscriberId), token as string));
  });

  app.post('/manage', csrfGuard, async (c) => {
    const body = await c.req.parseBody({ all: true });
    const token = typeof body.token === 'string' ? body.token : undefined;
    const payload = await verifyLinkToken(token, 'manage', deps);
    const subscriber = await load(payload.subscriberId);
    let updated: Subscriber;
    try {
      const fields = parseSubscriberInput(
        {
          email: subscriber.email,
          topics: Array.isArray(body.topics) ? body.topics : body.topics === undefined ? [] : [body.topics],
          frequency: body.frequency,
          timeZone: body.timeZone,
          deliveryHour: body.deliveryHour,
          deliveryWeekday: body.deliveryWeekday,
          filters: {
            minScore: body.minScore === '' ? undefined : body.minScore,
            includeKeywords: subscriber.filters?.includeKeywords,
            excludeKeywords: subscriber.filters?.excludeKeywords,
          },
        },
        deps.topics.map((topic) => topic.id),
      );
      const running = subscriber.status === 'active' || subscriber.status === 'paused';
      const paused = body.paused === 'true';
      updated = {
        ...subscriber,
        ...fields,
        filters: fields.filters,
        deliveryWeekday: fields.deliveryWeekday,
        status: running ? (paused ? 'paused' : 'active') : subscriber.status,
      };
    } catch (error) {
      if (!(error instanceof SubscriberInputError)) throw error;
      const notice = `Nothing was saved: ${error.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}.`;
      noStore(c);
      return c.html(await renderManage(subscriber, token as string, notice), 400);
    }
    await deps.subscribers.replace(
      updated,
      updated.status === 'active' ? nextDigestAt(updated, deps.now())?.toISOString() : undefined,
    );
    noStore(c);
    return c.html(await renderManage(updated, token as string, 'Your settings are saved.'));
  });

  app.get('/manage/export', async (c) => {
    const payload = await verifyLinkToken(c.req.query('token'), 'manage', deps);
    const subscriber = await load(payload.subscriberId);
    const [ledger, feedback] = await Promise.all([
      deps.deliveries.ledger(subscriber.id),
      deps.feedback.listForSubscriber(subscriber.id),
    ]);
    const exported = {
      exportedAt: deps.now().toISOString(),
      subscriber,
      deliveries: [...ledger.windows].map(([window, record]) => ({ window, ...record })),
      storiesSent: [...ledger.sent],
      feedback,
    };
    noStore(c);
    return c.body(`${JSON.stringify(exported, null, 2)}\n`, 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': 'attachment; filename="cipherwatch-subscription.json"',
    });
  });

  app.post('/manage/delete', csrfGuard, async (c) => {
    const payload = await verifyLinkToken(await formToken(c), 'manage', deps);
    await eraseSubscriber(payload.subscriberId, deps);
    deps.log.info('Subscriber erased on request', { subscriber: payload.subscriberId });
    return c.html(
      await messagePage(
        'Everything is deleted',
        'Your address, settings, delivery records and feedback are gone from Cipherwatch. You will not hear from us again unless you subscribe anew.',
      ),
    );
  });

  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('token');
    await verifyLinkToken(token, 'unsubscribe', deps);
    noStore(c);
    return c.html(
      await actionPage(
        'Unsubscribe',
        'Press the button to stop all Cipherwatch digests and alerts to this address.',
        '/unsubscribe',
        token as string,
        'Unsubscribe',
      ),
    );
  });

  app.post('/unsubscribe', async (c) => {
    const body = await c.req.parseBody();
    // RFC 8058: the mail provider's POST proves nothing but the token, and needs a 200, not a page to follow.
    const oneClick = body['List-Unsubscribe'] === 'One-Click';
    if (!oneClick) await csrfGuard(c, async () => {});
    const token = typeof body.token === 'string' ? body.token : c.req.query('token');
    const payload = await verifyLinkToken(token, 'unsubscribe', deps);
    const subscriber = await deps.subscribers.get(payload.subscriberId);
    if (subscriber && subscriber.status !== 'unsubscribed' && subscriber.status !== 'suppressed') {
      await deps.subscribers.replace({ ...subscriber, status: 'unsubscribed' }, undefined);
    }
    if (oneClick) return c.text('You are unsubscribed from Cipherwatch.\n', 200);
    return c.html(
      await messagePage(
        'You are unsubscribed',
        'No more digests or alerts will be sent to this address. Changed your mind? Subscribe again from the home page.',
      ),
    );
  });

  app.get('/feedback', async (c) => {
    const token = c.req.query('token');
    const { story, topicId } = await feedbackTarget(token);
    noStore(c);
    return c.html(
      await feedbackPage(
        story,
        deps.topics.find((topic) => topic.id === topicId),
        token as string,
      ),
    );
  });

  app.post('/feedback', csrfGuard, async (c) => {
    const { subscriberId, story, topicId } = await feedbackTarget(await formToken(c));
    await load(subscriberId);
    await deps.feedback.record({
      subscriberId,
      storyId: story.id,
      topicId,
      title: story.title,
      summary: story.summary,
      storyTopics: story.topics.map((match) => match.id),
      recordedAt: deps.now().toISOString(),
    });
    return c.html(
      await messagePage(
        'Thank you',
        'Your feedback is recorded. It helps Cipherwatch learn which stories belong to which topic.',
      ),
    );
  });

  async function feedbackTarget(token: string | undefined) {
    const payload = await verifyLinkToken(token, 'feedback', deps);
    const [storyId, topicId] = (payload.subject ?? '').split('#');
    if (!storyId || !topicId)
      throw new HttpProblem(400, 'This link does not work', 'Open it again from the email.');
    const story = await deps.stories.get(storyId);
    if (!story) throw new HttpProblem(404, 'Story not found', 'This story is no longer in the archive.');
    return { subscriberId: payload.subscriberId, story, topicId };
  }

  async function renderManage(subscriber: Subscriber, token: string, notice?: string) {
    const feedback = await deps.feedback.listForSubscriber(subscriber.id);
    return managePage({
      subscriber,
      topics: deps.topics,
      token,
      unsubscribeToken: await sign(subscriber.id, 'unsubscribe'),
      nextDigest:
        subscriber.status === 'active' ? nextDigestAt(subscriber, deps.now())?.toISOString() : undefined,
      feedbackCount: feedback.length,
      notice,
    });
  }
}
