import { foldWhitespace, truncate } from '#lib/plain-text.ts';
import { plural } from '#lib/plural.ts';
import type { Story } from '#lib/stories/story.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { zonedFormatter } from '#lib/subscriptions/zoned-time.ts';
import type { Digest, DigestEntry, DigestSection } from './digest.ts';
import { escapeHtml, safeHttpUrl } from './html-text.ts';
import { zoneAbbreviation } from './zone-name.ts';

/** An email ready for a transport: subject, both bodies and the list headers. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/** What rendering needs besides the digest: the reader and their signed links. */
export interface RenderContext {
  subscriber: Subscriber;
  /** One-click unsubscribe (RFC 8058), https in production; carries a signed token. */
  unsubscribeUrl: string;
  manageUrl: string;
  /** `mailto:` address for List-Unsubscribe, for clients without one-click support. */
  unsubscribeMailto: string;
  /** List-Id value: a bare id (`digests.cipherwatch.example`) or a full `Name <id>`. */
  listId: string;
  productName?: string | undefined;
  /** A signed "not relevant?" link for one story in one topic, when the deployment takes feedback. */
  feedbackUrlFor?: ((storyId: string, topicId: string) => string) | undefined;
  /** Base of the web app; with it, "and N more" links to the topic's archive for the digest's window. */
  publicUrl?: string | undefined;
}

/** The context cannot produce safe headers or links. */
export class RenderError extends Error {
  override name = 'RenderError';
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

type DigestKind = 'daily' | 'weekly' | 'alert';

const SUMMARY_MAX = 320;
const SUBJECT_TOPICS = 3;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const STYLE = {
  body: 'margin:0;padding:0;background:#f5f5f2;',
  page: "max-width:640px;margin:0 auto;padding:24px 16px;font-family:Georgia,'Times New Roman',serif;color:#1f2328;line-height:1.5;",
  kicker: 'font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#57606a;margin:0 0 4px;',
  title: 'font-size:22px;line-height:1.3;margin:0 0 24px;',
  section:
    'font-family:Arial,Helvetica,sans-serif;font-size:15px;text-transform:uppercase;letter-spacing:0.05em;color:#57606a;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin:28px 0 12px;',
  entry: 'margin:0 0 20px;',
  headline: 'font-size:18px;line-height:1.3;margin:0 0 4px;font-weight:bold;',
  link: 'color:#0b57d0;text-decoration:underline;',
  meta: 'font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#57606a;margin:0 0 6px;',
  summary: 'font-size:15px;margin:0 0 6px;',
  why: 'font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#57606a;font-style:italic;margin:0 0 4px;',
  more: 'font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#57606a;margin:0 0 8px;',
  footer:
    'font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#57606a;border-top:1px solid #d0d7de;margin-top:32px;padding-top:12px;',
} as const;

const formattedTimes = new Map<string, string>();
/** Bound on the formatted-time memo, so a long-lived process does not grow without limit. */
const MAX_FORMATTED_TIMES = 50_000;

/** A story time as the reader's clock shows it, e.g. `Sun 29 Mar, 08:15 BST`. */
export function formatLocalTime(iso: string, timeZone: string): string {
  const key = `${timeZone} ${iso}`;
  const known = formattedTimes.get(key);
  if (known !== undefined) return known;
  const formatted = formatWithZone(iso, timeZone);
  if (formattedTimes.size >= MAX_FORMATTED_TIMES) formattedTimes.clear();
  formattedTimes.set(key, formatted);
  return formatted;
}

const storyTimeFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });

function formatWithZone(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  // The zone's abbreviation comes from the locale that knows it (AEDT, EST), not always en-GB's.
  return `${zonedFormatter('story-time', timeZone, storyTimeFormat).format(ms)} ${zoneAbbreviation(ms, timeZone)}`;
}

function kindOf(digest: Digest, subscriber: Subscriber): DigestKind {
  const prefix = digest.windowKey.split(':', 1)[0];
  if (prefix === 'instant') return 'alert';
  if (prefix === 'daily' || prefix === 'weekly') return prefix;
  return subscriber.frequency === 'instant' ? 'alert' : subscriber.frequency;
}

function listNames(names: readonly string[], max = names.length): string {
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${plural(rest, 'other topic', 'other topics')}`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/** Mail clients cut subjects near here; every subject fits, however many topics a digest covers. */
export const SUBJECT_MAX = 78;

function subjectFor(digest: Digest, kind: DigestKind, product: string): string {
  const names = digest.sections.map((section) => foldWhitespace(section.topicName));
  const count = digest.totalStories;
  const start =
    kind === 'alert'
      ? `${product} alert: ${plural(count, 'new story', 'new stories')} on `
      : `${product} ${kind}: ${plural(count, 'story', 'stories')} on `;
  // As many topic names as fit, the rest counted; a lone name too long for the line is shortened.
  for (let shown = Math.min(names.length, SUBJECT_TOPICS); shown >= 1; shown--) {
    const rest = names.length - shown;
    const subject = `${start}${names.slice(0, shown).join(', ')}${rest > 0 ? ` +${rest} more` : ''}`;
    if (subject.length <= SUBJECT_MAX) return subject;
  }
  const rest = names.length - 1;
  const tail = rest > 0 ? ` +${rest} more` : '';
  return `${start}${truncate(names[0] ?? '', Math.max(8, SUBJECT_MAX - start.length - tail.length))}${tail}`;
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

function reasonLine(digest: Digest, kind: DigestKind, ctx: RenderContext, product: string): string {
  const { subscriber } = ctx;
  const topics = listNames(digest.sections.map((section) => foldWhitespace(section.topicName)));
  if (kind === 'alert') {
    return `You receive ${product} alerts on ${topics} because you asked to hear as soon as an important story appears.`;
  }
  const when =
    kind === 'weekly'
      ? `every ${WEEKDAYS[subscriber.deliveryWeekday ?? 1] ?? 'Monday'} at ${hourLabel(subscriber.deliveryHour)}`
      : `each day at ${hourLabel(subscriber.deliveryHour)}`;
  return `You receive this ${kind} ${product} digest on ${topics}, sent ${when} (${subscriber.timeZone} time), because you subscribed to it.`;
}

function checkedHeaderUrl(field: string, url: string, scheme: 'http' | 'mailto'): string {
  if (/[\r\n<>\s]/.test(url))
    throw new RenderError(field, 'must not contain spaces, line breaks or angle brackets');
  if (scheme === 'mailto') {
    if (!/^mailto:[^@]+@[^@]+$/i.test(url)) throw new RenderError(field, `"${url}" is not a mailto: address`);
    return url;
  }
  const safe = safeHttpUrl(url);
  if (!safe) throw new RenderError(field, `"${url}" is not an http(s) URL`);
  return safe;
}

function listIdHeader(listId: string, product: string): string {
  const value = foldWhitespace(listId);
  if (!value) throw new RenderError('listId', 'is empty');
  if (value.includes('<')) return value;
  return `${product} digests <${value}>`;
}

function moreLine(section: DigestSection, kind: DigestKind): string {
  const span = kind === 'alert' ? 'in this alert' : kind === 'weekly' ? 'this week' : 'in this period';
  return `And ${plural(section.moreCount, 'more story', 'more stories')} on ${foldWhitespace(section.topicName)} ${span}`;
}

/** The archive page listing every story of the section's topic in the digest's window. */
function archiveUrl(section: DigestSection, digest: Digest, ctx: RenderContext): string | undefined {
  if (!ctx.publicUrl || !digest.window) return undefined;
  const query = new URLSearchParams({ since: digest.window.start, until: digest.window.end });
  return safeHttpUrl(
    `${ctx.publicUrl.replace(/\/+$/, '')}/topics/${encodeURIComponent(section.topicId)}?${query}`,
  );
}

interface StoryText {
  title: string;
  summary: string;
  source: string;
  link: string | undefined;
}

const storyTexts = new WeakMap<Story, StoryText>();

/** A story's display strings, cleaned once and shared by every digest that shows it. */
function storyText(story: Story): StoryText {
  let text = storyTexts.get(story);
  if (!text) {
    text = {
      title: foldWhitespace(story.title) || 'Untitled story',
      // Cleaning only what can be shown keeps long summaries cheap.
      summary: truncate(foldWhitespace(story.summary.slice(0, SUMMARY_MAX * 2)), SUMMARY_MAX),
      source: foldWhitespace(story.sources[0]?.feedName ?? '') || 'Unknown source',
      // The canonical URL: the publisher's page without utm_*/fbclid trackers.
      link: safeHttpUrl(story.canonicalUrl) ?? safeHttpUrl(story.link),
    };
    storyTexts.set(story, text);
  }
  return text;
}

function entryHtml(entry: DigestEntry, timeZone: string, feedbackUrl: string | undefined): string {
  const story = storyText(entry.story);
  const title = escapeHtml(story.title);
  const headline = story.link
    ? `<a href="${escapeHtml(story.link)}" style="${STYLE.link}" rel="noreferrer">${title}</a>`
    : title;
  const meta = [story.source, formatLocalTime(entry.story.publishedAt, timeZone)]
    .filter(Boolean)
    .map(escapeHtml)
    .join(' · ');
  const parts = [
    `<div style="${STYLE.entry}">`,
    `<p style="${STYLE.headline}">${headline}</p>`,
    `<p style="${STYLE.meta}">${meta}</p>`,
  ];
  if (story.summary) parts.push(`<p style="${STYLE.summary}">${escapeHtml(story.summary)}</p>`);
  parts.push(`<p style="${STYLE.why}">Why it’s here: ${escapeHtml(foldWhitespace(entry.why))}</p>`);
  if (entry.alsoReportedBy.length > 0) {
    const others = entry.alsoReportedBy.map(foldWhitespace).join(', ');
    parts.push(`<p style="${STYLE.why}">Also reported by ${escapeHtml(others)}</p>`);
  }
  if (feedbackUrl) {
    parts.push(
      `<p style="${STYLE.meta}"><a href="${escapeHtml(feedbackUrl)}" style="${STYLE.link}">Not relevant?</a></p>`,
    );
  }
  parts.push('</div>');
  return parts.join('\n');
}

function entryText(entry: DigestEntry, timeZone: string, feedbackUrl: string | undefined): string[] {
  const story = storyText(entry.story);
  const lines = [`* ${story.title}`];
  lines.push(
    `  ${[story.source, formatLocalTime(entry.story.publishedAt, timeZone)].filter(Boolean).join(' · ')}`,
  );
  if (story.summary) lines.push(`  ${story.summary}`);
  lines.push(`  Why it’s here: ${foldWhitespace(entry.why)}`);
  if (entry.alsoReportedBy.length > 0) {
    lines.push(`  Also reported by ${entry.alsoReportedBy.map(foldWhitespace).join(', ')}`);
  }
  if (story.link) lines.push(`  ${story.link}`);
  if (feedbackUrl) lines.push(`  Not relevant? ${feedbackUrl}`);
  lines.push('');
  return lines;
}

function feedbackUrl(ctx: RenderContext, storyId: string, topicId: string): string | undefined {
  const url = ctx.feedbackUrlFor?.(storyId, topicId);
  return url === undefined ? undefined : checkedHeaderUrl('feedbackUrl', url, 'http');
}

/**
 * Renders a digest as an email: escaped HTML with inline styles only (no images, no remote CSS, no
 * tracking, every link straight to the source or to the reader's manage and unsubscribe pages), a
 * plain-text part, a subject naming the count and topics, and RFC 2369/8058 list headers.
 * Throws RenderError when a context URL is unsafe for a header.
 */
export function renderDigest(digest: Digest, ctx: RenderContext): RenderedEmail {
  const product = foldWhitespace(ctx.productName ?? '') || 'Cipherwatch';
  const kind = kindOf(digest, ctx.subscriber);
  const unsubscribeUrl = checkedHeaderUrl('unsubscribeUrl', ctx.unsubscribeUrl, 'http');
  const manageUrl = checkedHeaderUrl('manageUrl', ctx.manageUrl, 'http');
  const mailto = checkedHeaderUrl('unsubscribeMailto', ctx.unsubscribeMailto, 'mailto');
  const timeZone = ctx.subscriber.timeZone;

  const subject = subjectFor(digest, kind, product);
  const kicker = kind === 'alert' ? `${product} · alert` : `${product} · ${kind} digest`;
  const headline =
    kind === 'alert'
      ? `${plural(digest.totalStories, 'new story', 'new stories')} worth your attention now`
      : `${plural(digest.totalStories, 'story', 'stories')} on ${listNames(digest.sections.map((s) => foldWhitespace(s.topicName)))}`;
  const reason = reasonLine(digest, kind, ctx, product);

  const html: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.page}">`,
    `<p style="${STYLE.kicker}">${escapeHtml(kicker)}</p>`,
    `<h1 style="${STYLE.title}">${escapeHtml(headline)}</h1>`,
  ];
  const text: string[] = [kicker, headline, ''];

  for (const section of digest.sections) {
    const name = foldWhitespace(section.topicName);
    html.push(`<h2 style="${STYLE.section}">${escapeHtml(name)}</h2>`);
    text.push(name.toUpperCase(), '='.repeat(Math.min(name.length, 60)), '');
    for (const entry of section.entries) {
      const feedback = feedbackUrl(ctx, entry.story.id, section.topicId);
      html.push(entryHtml(entry, timeZone, feedback));
      text.push(...entryText(entry, timeZone, feedback));
    }
    if (section.moreCount > 0) {
      const more = moreLine(section, kind);
      const archive = archiveUrl(section, digest, ctx);
      html.push(
        archive
          ? `<p style="${STYLE.more}">${escapeHtml(more)}: <a href="${escapeHtml(archive)}" style="${STYLE.link}">see them all</a>.</p>`
          : `<p style="${STYLE.more}">${escapeHtml(more)}.</p>`,
      );
      text.push(archive ? `${more}: ${archive}` : `${more}.`, '');
    }
  }

  html.push(
    `<div style="${STYLE.footer}">`,
    `<p style="margin:0 0 8px;">${escapeHtml(reason)}</p>`,
    '<p style="margin:0 0 8px;">Every link goes straight to the publisher. This email contains no images and no tracking.</p>',
    `<p style="margin:0;"><a href="${escapeHtml(manageUrl)}" style="${STYLE.link}">Change topics, time or frequency</a> · <a href="${escapeHtml(unsubscribeUrl)}" style="${STYLE.link}">Unsubscribe</a></p>`,
    '</div>',
    '</div>',
    '</body>',
    '</html>',
    '',
  );
  text.push(
    '--',
    reason,
    'Every link goes straight to the publisher. This email contains no tracking.',
    `Change topics, time or frequency: ${manageUrl}`,
    `Unsubscribe: ${unsubscribeUrl}`,
    '',
  );

  return {
    subject,
    html: html.join('\n'),
    text: text.join('\n'),
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': listIdHeader(ctx.listId, product),
    },
  };
}
