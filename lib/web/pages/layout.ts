import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** Markup built with hono's `html` template, which escapes every interpolated value. */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One page: the shared header, navigation and footer around `body`. */
export function layout(title: string, body: Markup, options: { script?: boolean } = {}): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Cipherwatch</title>
<link rel="stylesheet" href="/site.css">
${options.script ? html`<script src="/timezone.js" defer></script>` : ''}
</head>
<body>
<header>
<a class="brand" href="/">Cipherwatch</a>
<nav aria-label="Main"><a href="/#topics">Topics</a><a href="/#subscribe">Subscribe</a><a href="/api/topics">API</a></nav>
</header>
<main id="main">
${body}
</main>
<footer>
<p>Cipherwatch watches news on encryption, surveillance, intelligence services and platform regulation, and sends digests to people who asked for them. No tracking, no third-party content.</p>
</footer>
</body>
</html>`;
}

/** A short page with a heading and a calm explanation, for results and errors. */
export function messagePage(title: string, message: Markup | string, extra: Markup | string = ''): Markup {
  return layout(title, html`<h1>${title}</h1><p>${message}</p>${extra}`);
}
