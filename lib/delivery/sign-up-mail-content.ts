import { escapeHtml } from '#lib/digest/html-text.ts';
import type { RenderedEmail } from '#lib/digest/render.ts';

/**
 * The mail that asks an address to confirm a sign-up. Fixed wording plus one signed link: nothing a
 * visitor typed (not even the topics they picked) reaches it, so the form cannot be used to send
 * someone else a message.
 */
export function renderConfirmationMail(confirmUrl: string): RenderedEmail {
  const subject = 'Confirm your Cipherwatch subscription';
  const text = [
    'Someone, hopefully you, asked to receive Cipherwatch digests at this address.',
    '',
    'To start receiving them, open this link and press Confirm (it works for 7 days):',
    confirmUrl,
    '',
    'If it was not you, ignore this email: nothing will be sent and the request is forgotten after 7 days.',
    '',
  ].join('\n');
  return {
    subject,
    text,
    html: paragraphsHtml(subject, text, confirmUrl, 'Confirm my subscription'),
    headers: autoHeaders,
  };
}

/** The mail an already subscribed address gets when someone signs it up again: a way in, nothing more. */
export function renderAlreadySubscribedMail(manageUrl: string): RenderedEmail {
  const subject = 'You are already subscribed to Cipherwatch';
  const text = [
    'Someone, hopefully you, tried to subscribe this address to Cipherwatch again. It is already subscribed,',
    'so nothing has changed.',
    '',
    'To change your topics, time or frequency, or to unsubscribe, open:',
    manageUrl,
    '',
    'If it was not you, you can ignore this email.',
    '',
  ].join('\n');
  return {
    subject,
    text,
    html: paragraphsHtml(subject, text, manageUrl, 'Manage my subscription'),
    headers: autoHeaders,
  };
}

const autoHeaders = { 'Auto-Submitted': 'auto-generated' };

function paragraphsHtml(subject: string, text: string, url: string, button: string): string {
  const paragraphs = text
    .split('\n\n')
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) =>
      block === url
        ? `<p><a href="${escapeHtml(url)}" style="color:#0b57d0;">${escapeHtml(button)}</a></p>`
        : `<p>${escapeHtml(block.replace(`\n${url}`, '')).replace(/\n/g, ' ')}</p>`,
    );
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#1f2328;line-height:1.5;max-width:560px;margin:0 auto;padding:16px;">',
    ...paragraphs,
    `<p style="color:#57606a;font-size:13px;">Link: ${escapeHtml(url)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
