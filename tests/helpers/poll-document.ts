import { afterAll, beforeAll } from 'vitest';
import { type PollReport, pollOnce } from '#lib/cli/commands/poll.ts';
import { type LocalServer, startLocalServer } from './local-server.ts';

/**
 * Serves documents from a loopback server and reads each with `pollOnce`, the code behind `cipherwatch poll URL`
 * (fetch → parse → normalize), as a real poll reads a feed. Call once at the top of a test file.
 */
export function documentPoller(fetchedAt: Date): (body: string) => Promise<PollReport> {
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
  return async (body) => {
    if (server === undefined) throw new Error('documentPoller: the server starts in beforeAll');
    const path = `/feed-${served.size + 1}.xml`;
    served.set(path, body);
    return pollOnce(server.url(path), {
      allowPrivateNetworks: true,
      classify: () => ({ relevant: false, topics: [] }),
      now: fetchedAt,
    });
  };
}
