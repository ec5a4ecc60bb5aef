import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FeedFetchError,
  FeedGoneError,
  FeedTimeoutError,
  FeedTooLargeError,
  RateLimitedError,
  TooManyRedirectsError,
  UnsupportedUrlError,
} from '#lib/reader/errors.ts';
import { type FetchFeedOptions, fetchFeed } from '#lib/reader/fetch.ts';
import { closedLoopbackPort } from '../../helpers/closed-port.ts';
import { fixtureBytes } from '../../helpers/fixtures.ts';
import { type LocalServer, startLocalServer } from '../../helpers/local-server.ts';

const FEED =
  '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Grüße</title></channel></rss>';
const local: FetchFeedOptions = { allowPrivateNetworks: true };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Parameters<typeof startLocalServer>[0]): Promise<LocalServer> {
  server = await startLocalServer(handler);
  return server;
}

function bodyOf(result: Awaited<ReturnType<typeof fetchFeed>>): string {
  if (result.status !== 'ok') throw new Error(`expected a body, got ${result.status}`);
  return result.body;
}

describe('fetchFeed: responses', () => {
  it('returns the decoded body with its validators and content type', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        etag: '"v1"',
        'last-modified': 'Tue, 07 May 2024 09:30:00 GMT',
      });
      response.end(FEED);
    });

    const result = await fetchFeed(url('/feed.xml'), local);

    expect(result).toEqual({
      status: 'ok',
      body: FEED,
      finalUrl: url('/feed.xml'),
      etag: '"v1"',
      lastModified: 'Tue, 07 May 2024 09:30:00 GMT',
      contentType: 'application/rss+xml; charset=utf-8',
    });
  });

  it('sends an honest User-Agent and asks for compressed bodies', async () => {
    const site = await serve((_request, response) => response.end(FEED));

    await fetchFeed(site.url('/'), local);

    expect(site.requests[0]?.headers['user-agent']).toMatch(
      /^Cipherwatch\/0\.1 \(\+https:\/\/github\.com\/cipherwatch/,
    );
    expect(site.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('makes a conditional GET with the stored validators and reports 304 as not modified', async () => {
    const site = await serve((_request, response) => {
      response.writeHead(304, { etag: '"v1"' });
      response.end();
    });

    const result = await fetchFeed(site.url('/'), {
      ...local,
      etag: '"v1"',
      lastModified: 'Tue, 07 May 2024 09:30:00 GMT',
    });

    expect(result).toEqual({
      status: 'not-modified',
      etag: '"v1"',
      lastModified: 'Tue, 07 May 2024 09:30:00 GMT',
    });
    expect(site.requests[0]?.headers['if-none-match']).toBe('"v1"');
    expect(site.requests[0]?.headers['if-modified-since']).toBe('Tue, 07 May 2024 09:30:00 GMT');
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decompresses a %s body', async (encoding, compress) => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': encoding });
      response.end(compress(Buffer.from(FEED)));
    });

    expect(bodyOf(await fetchFeed(url('/'), local))).toBe(FEED);
  });

  it('decompresses raw deflate sent as "deflate" (a common server mistake)', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'deflate' });
      response.end(deflateRawSync(Buffer.from(FEED)));
    });

    expect(bodyOf(await fetchFeed(url('/'), local))).toBe(FEED);
  });

  it('fails clearly on an unsupported content encoding', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'compress' });
      response.end('xx');
    });

    await expect(fetchFeed(url('/'), local)).rejects.toThrow(/unsupported content encoding: compress/);
  });

  it('fails clearly on a corrupt gzip body', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end('definitely not gzip');
    });

    await expect(fetchFeed(url('/'), local)).rejects.toThrow(FeedFetchError);
  });
});

describe('fetchFeed: redirects', () => {
  it('follows a relative redirect and reports the final URL', async () => {
    const { url } = await serve((request, response) => {
      if (request.url === '/old') {
        response.writeHead(301, { location: '/new' });
        response.end();
      } else {
        response.end(FEED);
      }
    });

    const result = await fetchFeed(url('/old'), local);

    expect(result).toMatchObject({ status: 'ok', finalUrl: url('/new') });
  });

  it('stops after the redirect cap with TooManyRedirectsError', async () => {
    const site = await serve((request, response) => {
      response.writeHead(302, { location: `/loop${request.url?.length ?? 0}` });
      response.end();
    });

    const failure = fetchFeed(site.url('/'), { ...local, maxRedirects: 3 });

    await expect(failure).rejects.toThrow(TooManyRedirectsError);
    expect(site.requests).toHaveLength(4);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(302, { location: 'file:///etc/passwd' });
      response.end();
    });

    await expect(fetchFeed(url('/'), local)).rejects.toThrow(UnsupportedUrlError);
  });
});

describe('fetchFeed: limits', () => {
  it('gives up at the deadline when the server never answers', async () => {
    const { url } = await serve(() => {
      // Never respond.
    });
    const started = Date.now();

    await expect(fetchFeed(url('/'), { ...local, timeoutMs: 300 })).rejects.toThrow(FeedTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up at the deadline when the body trickles in forever', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200);
      response.write('<rss>');
    });

    await expect(fetchFeed(url('/'), { ...local, timeoutMs: 300 })).rejects.toThrow(FeedTimeoutError);
  });

  it('refuses a body whose declared length exceeds the cap', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': String(2048) });
      response.end('x'.repeat(2048));
    });

    await expect(fetchFeed(url('/'), { ...local, maxBytes: 1024 })).rejects.toThrow(FeedTooLargeError);
  });

  it('stops reading a streamed body as soon as it passes the cap', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200);
      for (let index = 0; index < 64; index += 1) response.write('x'.repeat(1024));
      response.end();
    });

    const failure = fetchFeed(url('/'), { ...local, maxBytes: 10 * 1024 });

    await expect(failure).rejects.toThrow(FeedTooLargeError);
    await expect(failure).rejects.toThrow('The feed is larger than the 10 KB limit after decompression');
  });

  it('counts the cap after decompression, so a small gzip bomb is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      response.end(bomb);
    });

    expect(bomb.length).toBeLessThan(100 * 1024);
    await expect(fetchFeed(url('/'), { ...local, maxBytes: 1024 * 1024 })).rejects.toThrow(FeedTooLargeError);
  });
});

describe('fetchFeed: error statuses', () => {
  const answer = async (status: number, headers: Record<string, string> = {}) => {
    const { url } = await serve((_request, response) => {
      response.writeHead(status, headers);
      response.end();
    });
    return fetchFeed(url('/'), local).then(
      () => undefined,
      (error: unknown) => error,
    );
  };

  it('reports 429 with Retry-After seconds as RateLimitedError', async () => {
    const error = await answer(429, { 'retry-after': '120' });

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 120, permanent: false });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();

    const error = (await answer(429, { 'retry-after': inTwoMinutes })) as RateLimitedError;

    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(115);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(121);
  });

  it('reports 429 without Retry-After with no wait time', async () => {
    expect(await answer(429)).toMatchObject({ name: 'RateLimitedError', retryAfterSeconds: undefined });
  });

  it('treats 503 with Retry-After as rate limiting', async () => {
    expect(await answer(503, { 'retry-after': '30' })).toMatchObject({
      name: 'RateLimitedError',
      retryAfterSeconds: 30,
    });
  });

  it('reports 503 without Retry-After as a transient fetch error a person can read', async () => {
    const error = await answer(503);

    expect(error).toBeInstanceOf(FeedFetchError);
    expect(error).toMatchObject({
      status: 503,
      permanent: false,
      message: 'The server answered 503 Service Unavailable',
    });
  });

  it('reports 410 as a permanent FeedGoneError', async () => {
    const error = await answer(410);

    expect(error).toBeInstanceOf(FeedGoneError);
    expect(error).toMatchObject({ permanent: true });
  });

  it('reports 404 with its status', async () => {
    expect(await answer(404)).toMatchObject({ name: 'FeedFetchError', status: 404 });
  });

  it('reports a refused connection as a FeedFetchError naming the cause', async () => {
    const port = await closedLoopbackPort();

    await expect(fetchFeed(`http://127.0.0.1:${port}/`, local)).rejects.toThrow(/ECONNREFUSED/);
  });

  it.each([
    ['file:///etc/passwd', /Only http and https/],
    ['ftp://example.com/feed', /Only http and https/],
    ['not a url', /is not a valid URL/],
  ])('refuses %s as a permanent UnsupportedUrlError', async (url, message) => {
    const failure = fetchFeed(url, local);

    await expect(failure).rejects.toThrow(UnsupportedUrlError);
    await expect(failure).rejects.toThrow(message);
  });
});

describe('fetchFeed: charsets', () => {
  const serveBytes = async (bytes: Buffer, contentType: string) => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': contentType });
      response.end(bytes);
    });
    return bodyOf(await fetchFeed(url('/'), local));
  };

  it.each([
    ['windows-1251.xml', 'Шифрование под угрозой'],
    ['shift_jis.xml', '暗号化をめぐる議論'],
    ['gb2312.xml', '加密通信受到威胁'],
    ['iso-8859-1.xml', 'Émile sagt: «Ça ne va pas».'],
    ['windows-1252.xml', '“Encryption” costs €5 – or more'],
  ])('decodes %s from its XML declaration', async (file, text) => {
    const body = await serveBytes(fixtureBytes(file), 'application/rss+xml');

    expect(body).toContain(text);
    expect(body).not.toContain('\ufffd');
  });

  it('decodes a body with no declaration from the Content-Type charset', async () => {
    const body = await serveBytes(
      fixtureBytes('windows-1251-undeclared.xml'),
      'text/xml; charset=windows-1251',
    );

    expect(body).toContain('Слежка за мессенджерами');
  });

  it('lets the Content-Type charset win over a wrong XML declaration', async () => {
    const lying = Buffer.from(
      fixtureBytes('windows-1251.xml')
        .toString('latin1')
        .replace('encoding="windows-1251"', 'encoding="utf-8"'),
      'latin1',
    );

    const body = await serveBytes(lying, 'application/xml; charset=windows-1251');

    expect(body).toContain('Шифрование');
  });

  it('uses a UTF-8 BOM over a wrong XML declaration when the header names no charset', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(FEED.replace('utf-8', 'windows-1251')),
    ]);

    const body = await serveBytes(bytes, 'application/xml');

    expect(body).toContain('Grüße');
  });
});
