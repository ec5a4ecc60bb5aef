import type { Hono } from 'hono';
import { html } from 'hono/html';
import { formCsrfGuard } from '#lib/web/csrf.ts';
import type { WebDependencies } from '#lib/web/dependencies.ts';
import { formToken, loadSubscriber, noStore, signLink } from '#lib/web/link-pages.ts';
import { verifyLinkToken } from '#lib/web/link-tokens.ts';
import { messagePage } from '#lib/web/pages/layout.ts';
import { actionPage } from '#lib/web/pages/subscription.ts';
import { HttpProblem } from '#lib/web/problem.ts';
import { confirmSubscriber } from '#lib/web/sign-up.ts';

/**
 * Confirm and unsubscribe, behind the links in emails. GET only shows a page with a button (mail
 * scanners follow links); POST acts, and acting twice is the same as acting once. Form POSTs are
 * CSRF-checked, except the RFC 8058 one-click unsubscribe, which mail providers send without an Origin.
 */
export function registerLinkRoutes(app: Hono, deps: WebDependencies): void {
  const csrfGuard = formCsrfGuard(deps.publicUrl);
  const load = (subscriberId: string) => loadSubscriber(deps, subscriberId);
  const sign = (subscriberId: string, purpose: 'manage' | 'unsubscribe') =>
    signLink(deps, subscriberId, purpose);

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
}
