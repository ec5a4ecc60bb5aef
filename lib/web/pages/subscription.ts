import { html } from 'hono/html';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import type { Story } from '#lib/stories/story.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { hourOptions, timeZones, WEEKDAY_NAMES, weekdayOptions } from './home.ts';
import { layout, type Markup } from './layout.ts';
import { utcText } from './story-list.ts';

/** A page with one button that POSTs the token back: link scanners follow GETs, people press buttons. */
export function actionPage(
  title: string,
  explanation: string,
  action: string,
  token: string,
  button: string,
  buttonClass = '',
): Markup {
  return layout(
    title,
    html`<h1>${title}</h1><p>${explanation}</p>
<form method="post" action="${action}">
<input type="hidden" name="token" value="${token}">
<button type="submit"${buttonClass ? html` class="${buttonClass}"` : ''}>${button}</button>
</form>`,
  );
}

export function feedbackPage(story: Story, topic: TopicDefinition | undefined, token: string): Markup {
  const topicName = topic?.name ?? 'this topic';
  return layout(
    'Not relevant?',
    html`<h1>Not relevant?</h1>
<p>Tell us that <strong>${story.title}</strong> does not belong under <strong>${topicName}</strong>. Your answer helps the classifier improve; it does not change your subscription.</p>
<form method="post" action="/feedback">
<input type="hidden" name="token" value="${token}">
<button type="submit">Mark as not relevant</button>
</form>`,
  );
}

export interface ManageView {
  subscriber: Subscriber;
  topics: readonly TopicDefinition[];
  token: string;
  unsubscribeToken: string;
  nextDigest: string | undefined;
  feedbackCount: number;
  notice?: string | undefined;
}

export function managePage(view: ManageView): Markup {
  const { subscriber: s, topics, token } = view;
  const chosen = new Set(s.topics);
  const names = new Map(topics.map((topic) => [topic.id, topic.name]));
  const status =
    s.status === 'active'
      ? 'Active'
      : s.status === 'paused'
        ? 'Paused: no digests until you resume'
        : s.status === 'pending'
          ? 'Waiting for you to confirm the address'
          : s.status === 'unsubscribed'
            ? 'Unsubscribed: nothing is sent'
            : 'Stopped: mail to this address could not be delivered';
  const body = html`<h1>Your subscription</h1>
${view.notice ? html`<p role="status" class="card">${view.notice}</p>` : ''}
<section aria-labelledby="stored-heading">
<h2 id="stored-heading">What we store about you</h2>
<dl class="data">
<dt>Email</dt><dd>${s.email}</dd>
<dt>Status</dt><dd>${status}</dd>
<dt>Topics</dt><dd>${s.topics.map((id) => names.get(id) ?? id).join(', ')}</dd>
<dt>Frequency</dt><dd>${s.frequency}${s.frequency === 'weekly' ? ` on ${WEEKDAY_NAMES[s.deliveryWeekday ?? 1]}` : ''}${s.frequency === 'instant' ? '' : ` at ${String(s.deliveryHour).padStart(2, '0')}:00`}</dd>
<dt>Time zone</dt><dd>${s.timeZone}</dd>
<dt>Minimum score</dt><dd>${s.filters?.minScore ?? 'none'}</dd>
<dt>Subscribed since</dt><dd>${utcText(s.createdAt)}</dd>
<dt>Next digest</dt><dd>${view.nextDigest ? utcText(view.nextDigest) : '—'}</dd>
<dt>Last digest period ended</dt><dd>${s.lastWindowEnd ? utcText(s.lastWindowEnd) : '—'}</dd>
<dt>Stories marked not relevant</dt><dd>${view.feedbackCount}</dd>
</dl>
<p><a href="/manage/export?token=${token}" download="cipherwatch-subscription.json">Download all of it as JSON</a></p>
</section>

<section aria-labelledby="settings-heading">
<h2 id="settings-heading">Change your settings</h2>
<form method="post" action="/manage" class="card">
<input type="hidden" name="token" value="${token}">
<fieldset><legend>Topics</legend>
${topics.map((topic) => html`<label><input type="checkbox" name="topics" value="${topic.id}"${chosen.has(topic.id) ? html` checked` : ''}> ${topic.name}</label>`)}
</fieldset>
<fieldset><legend>How often</legend>
${(['daily', 'weekly', 'instant'] as const).map(
  (value) =>
    html`<label><input type="radio" name="frequency" value="${value}"${s.frequency === value ? html` checked` : ''}> ${value === 'instant' ? 'Alerts as soon as an important story appears' : value === 'daily' ? 'Daily digest' : 'Weekly digest'}</label>`,
)}
</fieldset>
<div class="field"><label for="timeZone">Time zone</label>
<select id="timeZone" name="timeZone">${timeZones().map((zone) => html`<option${zone === s.timeZone ? html` selected` : ''}>${zone}</option>`)}</select></div>
<div class="field"><label for="deliveryHour">Hour (digests)</label>
<select id="deliveryHour" name="deliveryHour">${hourOptions(String(s.deliveryHour))}</select></div>
<div class="field"><label for="deliveryWeekday">Weekday (weekly digests)</label>
<select id="deliveryWeekday" name="deliveryWeekday">${weekdayOptions(String(s.deliveryWeekday ?? 1))}</select></div>
<div class="field"><label for="minScore">Minimum score, 0 to 1 (leave out weaker matches)</label>
<input id="minScore" name="minScore" type="number" min="0" max="1" step="0.05" value="${String(s.filters?.minScore ?? 0)}"></div>
<fieldset><legend>Pause</legend>
<label><input type="checkbox" name="paused" value="true"${s.status === 'paused' ? html` checked` : ''}> Pause digests for now</label>
</fieldset>
<button type="submit">Save settings</button>
</form>
</section>

<section aria-labelledby="leave-heading">
<h2 id="leave-heading">Leave</h2>
<form method="post" action="/unsubscribe">
<input type="hidden" name="token" value="${view.unsubscribeToken}">
<button type="submit" class="secondary">Unsubscribe</button>
</form>
<form method="post" action="/manage/delete">
<input type="hidden" name="token" value="${token}">
<p>Deleting removes your address, settings, delivery records and feedback from every table. It cannot be undone.</p>
<button type="submit" class="danger">Delete everything about me</button>
</form>
</section>`;
  return layout('Your subscription', body);
}
