import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { isPrivateAddress, type Resolver } from '#lib/reader/address-guard.ts';
import { PrivateAddressError, UnsupportedUrlError } from '#lib/reader/errors.ts';
import { fetchFeed } from '#lib/reader/fetch.ts';
import { type LocalServer, startLocalServer } from '../../helpers/local-server.ts';

const FEED = '<rss version="2.0"><channel><title>ok</title></channel></rss>';

/** A resolver for made-up host names: no test ever asks real DNS. */
function fakeDns(table: Record<string, string>): Resolver {
  return async (hostname) => {
    const address = table[hostname];
    if (address === undefined)
      throw Object.assign(new Error(`unknown test host ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: net.isIP(address) }];
  };
}

// Node emits 'connectionAttempt' on a socket right before it opens a TCP connection to a resolved address
// (socket.connect() itself runs earlier, before the lookup), so counting these events counts real attempts.
let emit: MockInstance;
const connectionAttempts = () => emit.mock.calls.filter(([event]) => event === 'connectionAttempt').length;
let server: LocalServer | undefined;
beforeEach(() => {
  emit = vi.spyOn(net.Socket.prototype, 'emit');
});
afterEach(async () => {
  emit.mockRestore();
  await server?.close();
  server = undefined;
});

describe('fetchFeed: private network guard', () => {
  it.each(['10.0.0.5', '169.254.169.254', '::ffff:127.0.0.1', '127.0.0.1', '100.64.1.1', 'fd00::1'])(
    'refuses a host resolving to %s before any connection is attempted',
    async (hostile) => {
      const failure = fetchFeed('http://feeds.example/rss', {
        allowPrivateNetworks: false,
        resolve: fakeDns({ 'feeds.example': hostile }),
      });

      await expect(failure).rejects.toThrow(PrivateAddressError);
      await expect(failure).rejects.toMatchObject({
        address: hostile,
        url: 'http://feeds.example/rss',
        permanent: true,
      });
      expect(connectionAttempts()).toBe(0);
    },
  );

  it.each([
    ['http://10.0.0.5/feed', '10.0.0.5'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://[::1]/feed', '::1'],
    ['http://[::ffff:a00:5]/feed', '::ffff:a00:5'],
    ['http://0x7f.1/feed', '127.0.0.1'],
    ['https://192.168.1.1/feed', '192.168.1.1'],
  ])('refuses the IP literal in %s (node would skip the lookup) without connecting', async (url, address) => {
    const failure = fetchFeed(url, { allowPrivateNetworks: false, resolve: fakeDns({}) });

    await expect(failure).rejects.toMatchObject({ name: 'PrivateAddressError', address });
    expect(connectionAttempts()).toBe(0);
  });

  it('refuses a loopback server by default and the server sees no connection', async () => {
    server = await startLocalServer((_request, response) => response.end(FEED));

    await expect(fetchFeed(server.url('/'), { allowPrivateNetworks: false })).rejects.toThrow(
      PrivateAddressError,
    );
    expect(server.connections()).toBe(0);
  });

  it('connects to a private address when private networks are allowed', async () => {
    server = await startLocalServer((_request, response) => response.end(FEED));

    const result = await fetchFeed(`http://feeds.example:${server.port}/rss`, {
      allowPrivateNetworks: true,
      resolve: fakeDns({ 'feeds.example': '127.0.0.1' }),
    });

    expect(result).toMatchObject({ status: 'ok', body: FEED });
    expect(connectionAttempts()).toBe(1);
    expect(server.requests[0]?.headers.host).toBe(`feeds.example:${server.port}`);
  });

  describe('on redirects', () => {
    // The guard is told loopback is public, so the first hop can reach the test server without leaving 127.0.0.1;
    // every other private address stays private, which proves the redirect hop is checked again.
    const loopbackCountsAsPublic = (ip: string) => ip !== '127.0.0.1' && isPrivateAddress(ip);
    const dns = fakeDns({ 'public.example': '127.0.0.1', 'internal.example': '169.254.169.254' });

    async function redirectingTo(location: string): Promise<LocalServer> {
      server = await startLocalServer((_request, response) => {
        response.writeHead(302, { location });
        response.end();
      });
      return server;
    }

    it('re-checks the host of a redirect target and refuses a private one without connecting to it', async () => {
      const site = await redirectingTo('http://internal.example/latest/meta-data/');

      const failure = fetchFeed(`http://public.example:${site.port}/feed`, {
        allowPrivateNetworks: false,
        resolve: dns,
        isPrivate: loopbackCountsAsPublic,
      });

      await expect(failure).rejects.toMatchObject({
        name: 'PrivateAddressError',
        address: '169.254.169.254',
      });
      expect(site.requests).toHaveLength(1);
      expect(connectionAttempts()).toBe(1);
    });

    it('re-checks an IP-literal redirect target', async () => {
      const site = await redirectingTo('http://10.0.0.5/feed');

      const failure = fetchFeed(`http://public.example:${site.port}/feed`, {
        allowPrivateNetworks: false,
        resolve: dns,
        isPrivate: loopbackCountsAsPublic,
      });

      await expect(failure).rejects.toMatchObject({ name: 'PrivateAddressError', address: '10.0.0.5' });
      expect(connectionAttempts()).toBe(1);
    });

    it('refuses a redirect to another scheme', async () => {
      const site = await redirectingTo('gopher://public.example/feed');

      const failure = fetchFeed(`http://public.example:${site.port}/feed`, {
        allowPrivateNetworks: false,
        resolve: dns,
        isPrivate: loopbackCountsAsPublic,
      });

      await expect(failure).rejects.toThrow(UnsupportedUrlError);
    });
  });
});
