import type { Hono } from 'hono';
import { nextDigestAt } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { parseSubscriberInput, SubscriberInputError } from '#lib/subscriptions/validate.ts';
import { formCsrfGuard } from '#lib/web/csrf.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { eraseSubscriber } from '#lib/web/erase.ts';
import { formToken, loadSubscriber, noStore, signLink } from '#lib/web/link-pages.ts';
import { verifyLinkToken } from '#lib/web/link-tokens.ts';
import { messagePage } from '#lib/web/pages/layout.ts';
import { managePage } from '#lib/web/pages/subscription.ts';

/**
 * The manage page behind the link in every digest: settings, pause, what is stored (and its JSON
 * download), and erasure. GET shows; POST (CSRF-checked) acts.
 */
export function registerManageRoutes(app: Hono, deps: WebDependencies): void {
  const csrfGuard = formCsrfGuard(deps.publicUrl);
  const load = (subscriberId: string) => loadSubscriber(deps, subscriberId);
  const sign = (subscriberId: string, purpose: 'manage' | 'unsubscribe') =>
    signLink(deps, subscriberId, purpose);

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
