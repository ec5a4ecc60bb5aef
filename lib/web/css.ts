/**
 * The site's one stylesheet, served at /site.css. Kept in code rather than a file so the Lambda bundle
 * carries it without a copy step. System fonts only; nothing loaded from elsewhere.
 */
export const SITE_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #57606a; --bg: #fbfbf8; --card: #fff;
  --line: #d0d7de; --accent: #0b57d0; --danger: #b3261e; --focus: #e8a200; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --muted: #a0a8b0; --bg: #15171a;
  --card: #1d2024; --line: #3a3f45; --accent: #8ab4f8; --danger: #f28b82; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline; }
header .brand { font-weight: 700; font-size: 1.2rem; color: var(--fg); text-decoration: none; }
nav a { margin-right: 1rem; }
footer { color: var(--muted); font-size: .875rem; border-top: 1px solid var(--line); margin-top: 3rem;
  padding-top: 1rem; padding-bottom: 2rem; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
.muted, .meta { color: var(--muted); font-size: .9rem; }
.why { color: var(--muted); font-size: .9rem; font-style: italic; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 1rem 0; }
ol.stories, ul.plain { list-style: none; padding: 0; }
ol.stories li { margin: 0 0 1.25rem; }
.story-title { font-weight: 600; }
form .field { margin: 0 0 1rem; }
label, legend { font-weight: 600; display: block; margin-bottom: .25rem; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
fieldset label { font-weight: normal; display: flex; gap: .5rem; align-items: flex-start; margin: .25rem 0; }
input[type=email], input[type=number], select { width: 100%; max-width: 24rem; font: inherit;
  padding: .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--fg); }
button { font: inherit; padding: .6rem 1.2rem; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; min-height: 44px; }
button.secondary { background: transparent; color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.errors { border-left: 4px solid var(--danger); padding: .5rem 1rem; background: var(--card); }
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.pager { display: flex; justify-content: space-between; margin: 2rem 0; }
dl.data { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.data dt { font-weight: 600; }
dl.data dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 32rem) { dl.data { grid-template-columns: 1fr; } dl.data dd { margin-bottom: .5rem; } }
`;

/**
 * Preselects the reader's time zone in the sign-up form. First-party and optional: without scripts the
 * <select> keeps its default and the reader picks a zone by hand.
 */
export const TIMEZONE_SCRIPT = `
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var select = document.getElementById('timeZone');
  if (!zone || !select) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();
`;
