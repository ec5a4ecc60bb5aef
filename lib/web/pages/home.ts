import { html } from 'hono/html';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import type { Story } from '#lib/stories/story.ts';
import { layout, type Markup } from './layout.ts';
import { storyList } from './story-list.ts';

/** What the visitor typed, shown again beside the messages when the form did not validate. */
export interface SignUpForm {
  values: Record<string, unknown>;
  issues: ReadonlyArray<{ field: string; message: string }>;
}

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FIELD_LABELS: Record<string, string> = {
  email: 'Email address',
  topics: 'Topics',
  frequency: 'How often',
  timeZone: 'Time zone',
  deliveryHour: 'Hour',
  deliveryWeekday: 'Weekday',
};

let zones: string[] | undefined;
/** Every IANA zone the runtime knows, for the time zone <select>. */
export function timeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  return zones;
}

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];

export function homePage(
  topics: readonly TopicDefinition[],
  latest: ReadonlyMap<string, readonly Story[]>,
  form?: SignUpForm,
): Markup {
  const values = form?.values ?? {};
  const chosenTopics = new Set(asList(values.topics));
  const frequency = String(values.frequency ?? 'daily');
  const zone = String(values.timeZone ?? 'UTC');
  const hour = String(values.deliveryHour ?? '8');
  const weekday = String(values.deliveryWeekday ?? '1');
  const body = html`
<h1>News on encryption, surveillance and platform rules, sorted for you</h1>
<p>Cipherwatch reads news feeds around the clock, picks out stories on the policy topics below, and sends them to you as a digest: daily, weekly, or as soon as something important appears.</p>

<section id="topics" aria-labelledby="topics-heading">
<h2 id="topics-heading">What Cipherwatch watches</h2>
<ul class="plain">
${topics.map((topic) => html`<li class="card"><h3><a href="/topics/${topic.id}">${topic.name}</a></h3><p>${topic.description}</p><p class="muted"><a href="/feeds/${topic.id}.atom">Atom feed</a></p></li>`)}
</ul>
</section>

<section id="subscribe" aria-labelledby="subscribe-heading">
<h2 id="subscribe-heading">Subscribe</h2>
<p>We send one email to confirm the address. Nothing else is sent until you press the button in it.</p>
${
  form?.issues.length
    ? html`<div class="errors" role="alert"><p>Please check the form:</p><ul>${form.issues.map(
        (issue) =>
          html`<li>${FIELD_LABELS[issue.field.split('.')[0] ?? ''] ?? issue.field}: ${issue.message}</li>`,
      )}</ul></div>`
    : ''
}
<form method="post" action="/subscriptions" class="card">
<div class="field"><label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${String(values.email ?? '')}"></div>
<fieldset><legend>Topics</legend>
${topics.map(
  (topic) =>
    html`<label><input type="checkbox" name="topics" value="${topic.id}"${chosenTopics.has(topic.id) ? html` checked` : ''}> ${topic.name}</label>`,
)}
</fieldset>
<fieldset><legend>How often</legend>
${(
  [
    ['daily', 'Daily digest'],
    ['weekly', 'Weekly digest'],
    ['instant', 'Alerts as soon as an important story appears'],
  ] as const
).map(
  ([value, label]) =>
    html`<label><input type="radio" name="frequency" value="${value}"${frequency === value ? html` checked` : ''}> ${label}</label>`,
)}
</fieldset>
<div class="field"><label for="timeZone">Time zone</label>
<select id="timeZone" name="timeZone">${timeZones().map((name) => html`<option${name === zone ? html` selected` : ''}>${name}</option>`)}</select></div>
<div class="field"><label for="deliveryHour">Hour (digests)</label>
<select id="deliveryHour" name="deliveryHour">${hourOptions(hour)}</select></div>
<div class="field"><label for="deliveryWeekday">Weekday (weekly digests)</label>
<select id="deliveryWeekday" name="deliveryWeekday">${weekdayOptions(weekday)}</select></div>
<div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Subscribe</button>
</form>
</section>

<section aria-labelledby="latest-heading">
<h2 id="latest-heading">Latest stories</h2>
${topics.map((topic) => {
  const stories = latest.get(topic.id) ?? [];
  return html`<h3><a href="/topics/${topic.id}">${topic.name}</a></h3>${
    stories.length ? storyList(stories, topic) : html`<p class="muted">No stories in the last week.</p>`
  }`;
})}
</section>`;
  return layout('Policy news digests', body, { script: true });
}

export function hourOptions(selected: string): Markup {
  return html`${Array.from({ length: 24 }, (_, hour) => html`<option value="${hour}"${String(hour) === selected ? html` selected` : ''}>${String(hour).padStart(2, '0')}:00</option>`)}`;
}

export function weekdayOptions(selected: string): Markup {
  return html`${WEEKDAY_NAMES.map((name, day) => html`<option value="${day}"${String(day) === selected ? html` selected` : ''}>${name}</option>`)}`;
}
