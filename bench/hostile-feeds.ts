// `npx tsx bench/hostile-feeds.ts [name]`: serves each hostile document class on loopback and runs
// `cipherwatch poll URL` on it as a separate process under /usr/bin/time, printing how it ended, the wall time
// and the peak memory (maximum resident set size). With a name, runs only that class. HOSTILE_LIMIT_SECONDS
// (default 120) kills a run that takes longer.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATE = 'Tue, 07 May 2024 07:30:00 GMT';
const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://example.com/</link>${items}</channel></rss>`;
const item = (body: string) => `<item>${body}<pubDate>${DATE}</pubDate></item>`;
const fine = item('<title>A normal story</title><link>https://example.com/normal</link>');
const SIZE = 320 * 1024;
/** A run still going after this long is killed and reported as such. */
const LIMIT_SECONDS = Number(process.env.HOSTILE_LIMIT_SECONDS ?? 120);

/** Each hostile document class, built to the sizes the hardening issue measured. */
const DOCUMENTS: Record<string, () => string> = {
  // The whole document is a 170-byte DOCTYPE that never ends: the old pattern's backtracking doubled per pair.
  'doctype-brackets': () => `<!DOCTYPE rss ${'[]'.repeat(78)}`,
  'doctype-brackets-then-feed': () => `<?xml version="1.0"?><!DOCTYPE rss ${'[]'.repeat(80)}${rss(fine)}`,
  'script-runs': () =>
    rss(
      `${fine}${item(`<title>Script</title><link>https://example.com/s</link><description>${'&lt;script '.repeat(SIZE / 14)}</description>`)}`,
    ),
  'script-runs-cdata': () =>
    rss(
      `${fine}${item(`<title>Script</title><link>https://example.com/s</link><description><![CDATA[${'<script '.repeat(SIZE / 8)}]]></description>`)}`,
    ),
  'anchor-runs': () =>
    rss(
      `${fine}${item(`<title>Anchors</title><link>https://example.com/a</link><description><![CDATA[${'<a'.repeat(SIZE / 2)}]]></description>`)}`,
    ),
  'anchor-runs-in-title': () =>
    rss(`${fine}${item(`<title>${'<a'.repeat(SIZE / 2)}</title><link>https://example.com/t</link>`)}`),
  'anchor-runs-escaped': () =>
    rss(
      `${fine}${item(`<title>Anchors</title><link>https://example.com/a</link><description>${'&lt;a'.repeat(SIZE / 5)}</description>`)}`,
    ),
  'cdata-runs-escaped': () =>
    rss(
      `${fine}${item(`<title>CDATA</title><link>https://example.com/c</link><description>${'&lt;![CDATA['.repeat(SIZE / 12)}</description>`)}`,
    ),
  'cdata-runs': () =>
    rss(
      `${fine}${item(`<title>CDATA</title><link>https://example.com/c</link><description>${'<![CDATA['.repeat(SIZE / 9)}</description>`)}`,
    ),
  'deep-nesting-title': () =>
    rss(
      `${fine}${item(`<title>${'<b>'.repeat(20_000)}Deep${'</b>'.repeat(20_000)}</title><link>https://example.com/d</link>`)}`,
    ),
  'deep-nesting-element': () =>
    rss(
      `${fine}${item(`<title>Deep</title><link>https://example.com/d</link>${'<x>'.repeat(20_000)}y${'</x>'.repeat(20_000)}`)}`,
    ),
  'long-guid': () =>
    rss(`${fine}${item(`<title>Long GUID</title><guid isPermaLink="false">${'g'.repeat(3 * 1024)}</guid>`)}`),
  'long-link': () =>
    rss(
      `${fine}${item(`<title>Long link</title><link>https://example.com/${'l'.repeat(150 * 1024)}</link>`)}`,
    ),
};

const only = process.argv[2];
const names = Object.keys(DOCUMENTS).filter((name) => only === undefined || name === only);
const bodies = new Map(names.map((name) => [`/${name}.xml`, DOCUMENTS[name]?.() ?? '']));
const server = createServer((request, response) => {
  const body = bodies.get(request.url ?? '');
  if (body === undefined) response.writeHead(404).end();
  else response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

for (const name of names) {
  const url = `http://127.0.0.1:${port}/${name}.xml`;
  const size = bodies.get(`/${name}.xml`)?.length ?? 0;
  // The child fetches from this process's server, so it runs asynchronously; a run past the limit is killed.
  const run = await new Promise<{ stdout: string; stderr: string; status: number | null }>((resolve) => {
    const child = spawn(
      '/usr/bin/time',
      [
        '-f',
        'TIME %e s, MAXRSS %M kB',
        'timeout',
        '-s',
        'KILL',
        String(LIMIT_SECONDS),
        'node',
        'bin/cipherwatch.js',
        'poll',
        url,
        '--allow-private-networks',
        '--json',
      ],
      { cwd: repoRoot, env: { ...process.env, CIPHERWATCH_LOG_LEVEL: 'error' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ stdout, stderr, status }));
  });
  const measured = /TIME .*/.exec(run.stderr)?.[0] ?? 'no measurement';
  let outcome: string;
  try {
    const report = JSON.parse(run.stdout) as { items: Array<{ title: string; link: string }> };
    outcome = `${report.items.length} items: ${report.items.map((entry) => `"${entry.title.slice(0, 40)}" (link ${entry.link.length} chars)`).join(', ')}`;
  } catch {
    outcome = run.stderr
      .replace(/TIME .*/, '')
      .trim()
      .slice(0, 300);
  }
  console.log(`${name} (${Math.round(size / 1024)} kB): exit ${run.status}, ${measured}\n  ${outcome}`);
}
server.close();
