import { afterAll, beforeAll } from 'vitest';
import { type PollReport, pollOnce } from '#lib/cli/commands/poll.ts';
import { fetchFeed } from '#lib/reader/fetch.ts';
import { type ProcessedFeed, processFeed } from '#lib/stories/process.ts';
import { type LocalServer, startLocalServer } from './local-server.ts';

/**
 * Serves documents from a loopback server and reads each with `pollOnce`, the code behind `cipherwatch poll URL`
 * (fetch → parse → normalize), as a real poll reads a feed. Call once at the top of a test file.
 */
export function documentPoller(fetchedAt: Date): ((body: string) => Promise<PollReport>) & {
  /** The same read, returning the processed feed (summaries included) instead of the report. */
  process(body: string): Promise<ProcessedFeed>;
} {
  const served = new Map<string, string>();
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startLocalServer((request, response) => {
      const body = served.get(request.url ?? '');
      if (body === undefined) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'application/xml' }).end(body);
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  const serve = (body: string): string => {
    if (server === undefined) throw new Error('documentPoller: the server starts in beforeAll');
    const path = `/feed-${served.size + 1}.xml`;
    served.set(path, body);
    return server.url(path);
  };
  const poll = (body: string) =>
    pollOnce(serve(body), {
      allowPrivateNetworks: true,
      classify: () => ({ relevant: false, topics: [] }),
      now: fetchedAt,
    });
  const process = async (body: string): Promise<ProcessedFeed> => {
    // The steps of pollOnce, keeping the processed feed.
    const fetched = await fetchFeed(serve(body), { allowPrivateNetworks: true });
    if (fetched.status !== 'ok') throw new Error(`unexpected ${fetched.status}`);
    const feed = { id: 'served', url: fetched.finalUrl, name: 'Served' };
    return processFeed(fetched.body, feed, () => ({ relevant: false, topics: [] }), fetchedAt);
  };
  return Object.assign(poll, { process });
}
