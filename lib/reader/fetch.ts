import {
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  STATUS_CODES,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { createGuardedLookup, isPrivateAddress, type Resolver } from './address-guard.ts';
import { decodeFeedBody } from './charset.ts';
import {
  FeedError,
  FeedFetchError,
  FeedGoneError,
  FeedTimeoutError,
  FeedTooLargeError,
  PrivateAddressError,
  RateLimitedError,
  TooManyRedirectsError,
  UnsupportedUrlError,
} from './errors.ts';
import { parseRetryAfter } from './retry-after.ts';

/** Names the project and where to reach it, so feed owners can see who polls them. */
export const DEFAULT_USER_AGENT =
  'Cipherwatch/0.1 (+https://github.com/cipherwatch/cipherwatch; media monitoring)';
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface FetchFeedOptions {
  /** ETag stored from the last successful fetch, sent as If-None-Match. */
  etag?: string | undefined;
  /** Last-Modified stored from the last successful fetch, sent as If-Modified-Since. */
  lastModified?: string | undefined;
  /** Allow loopback and private addresses (local testing and the demo only). */
  allowPrivateNetworks: boolean;
  /** Host name resolver; the system resolver by default. */
  resolve?: Resolver | undefined;
  /** Decides which addresses count as private; tests use it to treat loopback as public. */
  isPrivate?: ((ip: string) => boolean) | undefined;
  /** Deadline for the whole fetch, redirects included. @default 15000 */
  timeoutMs?: number | undefined;
  /** Largest body accepted after decompression. @default 5 MiB */
  maxBytes?: number | undefined;
  /** @default 5 */
  maxRedirects?: number | undefined;
  /** @default DEFAULT_USER_AGENT */
  userAgent?: string | undefined;
}

export type FetchResult =
  | { status: 'not-modified'; etag?: string | undefined; lastModified?: string | undefined }
  | {
      status: 'ok';
      /** The body decoded to a JS string using the detected charset. */
      body: string;
      /** The URL after redirects: relative links in the feed resolve against it. */
      finalUrl: string;
      etag?: string | undefined;
      lastModified?: string | undefined;
      contentType?: string | undefined;
    };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/**
 * Fetches a feed over HTTP(S) with a conditional GET, refusing private addresses on every hop, following at most
 * `maxRedirects` redirects, decompressing gzip/deflate/br under a byte cap and finishing within one deadline.
 * Failures are typed `FeedError`s that say whether a retry can help.
 */
export async function fetchFeed(url: string, options: FetchFeedOptions): Promise<FetchResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const headers: OutgoingHttpHeaders = {
    'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
    accept: ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;

  try {
    let current = url;
    for (let redirects = 0; ; redirects += 1) {
      const target = checkTarget(current, url, options);
      const response = await send(target, headers, options, url, deadline.signal, timeoutMs);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        response.resume();
        if (redirects >= maxRedirects) throw new TooManyRedirectsError(url, maxRedirects);
        current = resolveLocation(location, target, url);
        continue;
      }
      const etag = header(response, 'etag');
      const lastModified = header(response, 'last-modified');
      if (status === 304) {
        response.resume();
        return {
          status: 'not-modified',
          etag: etag ?? options.etag,
          lastModified: lastModified ?? options.lastModified,
        };
      }
      if (status < 200 || status > 299) {
        response.resume();
        throw statusError(url, status, header(response, 'retry-after'));
      }
      const bytes = await readBody(response, url, maxBytes, deadline.signal, timeoutMs);
      const contentType = header(response, 'content-type');
      return {
        status: 'ok',
        body: decodeFeedBody(bytes, contentType).text,
        finalUrl: target.href,
        etag,
        lastModified,
        contentType,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}

function checkTarget(current: string, feedUrl: string, options: FetchFeedOptions): URL {
  let target: URL;
  try {
    target = new URL(current);
  } catch {
    throw new UnsupportedUrlError(`"${current}" is not a valid URL`, feedUrl);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new UnsupportedUrlError(`Only http and https feeds are supported, not ${target.protocol}`, feedUrl);
  }
  // Node connects to IP literals without calling `lookup`, so they are checked here, before any socket exists.
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const isPrivate = options.isPrivate ?? isPrivateAddress;
  if (isIP(host) !== 0 && !options.allowPrivateNetworks && isPrivate(host)) {
    throw new PrivateAddressError(feedUrl, host);
  }
  return target;
}

function resolveLocation(location: string, base: URL, feedUrl: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new FeedFetchError(`The server redirected to an invalid location: ${location}`, feedUrl);
  }
}

function send(
  target: URL,
  headers: OutgoingHttpHeaders,
  options: FetchFeedOptions,
  feedUrl: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<IncomingMessage> {
  const lookup = createGuardedLookup({
    allowPrivate: options.allowPrivateNetworks,
    resolve: options.resolve,
    isPrivate: options.isPrivate,
    url: feedUrl,
  });
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // A fresh connection per request (no agent) so the guarded lookup runs for every hop.
    const req = request(target, { method: 'GET', headers, lookup, agent: false, signal }, resolve);
    req.on('error', (error) => reject(networkError(error, feedUrl, target, signal, timeoutMs)));
    req.end();
  });
}

function readBody(
  response: IncomingMessage,
  feedUrl: string,
  maxBytes: number,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Buffer> {
  const encoding = (header(response, 'content-encoding') ?? 'identity').trim().toLowerCase();
  const declaredLength = Number(header(response, 'content-length'));
  if (encoding === 'identity' && declaredLength > maxBytes) {
    response.destroy();
    return Promise.reject(new FeedTooLargeError(feedUrl, maxBytes));
  }
  if (!['identity', 'gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
    response.destroy();
    return Promise.reject(
      new FeedFetchError(`The server used an unsupported content encoding: ${encoding}`, feedUrl),
    );
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    let decoder: (NodeJS.ReadWriteStream & { destroy(): void }) | undefined;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        response.destroy();
        decoder?.destroy();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, total));
      }
    };
    const onAbort = () => finish(new FeedTimeoutError(feedUrl, timeoutMs));
    signal.addEventListener('abort', onAbort, { once: true });
    // The cap counts decompressed bytes as they stream, so a small compressed bomb stops early.
    const collect = (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxBytes) finish(new FeedTooLargeError(feedUrl, maxBytes));
      else chunks.push(chunk);
    };
    const decodeFailed = (error: Error) =>
      finish(new FeedFetchError(`The ${encoding} body could not be decompressed`, feedUrl, { cause: error }));

    response.on('error', (error) =>
      finish(networkError(error, feedUrl, new URL(feedUrl), signal, timeoutMs)),
    );
    if (encoding === 'identity') {
      response.on('data', collect);
      response.on('end', () => finish());
      return;
    }
    response.on('data', (chunk: Buffer) => {
      if (decoder === undefined) {
        decoder = createDecoder(encoding, chunk);
        decoder.on('data', collect);
        decoder.on('end', () => finish());
        decoder.on('error', decodeFailed);
      }
      decoder.write(chunk);
    });
    response.on('end', () => {
      if (decoder === undefined) finish();
      else decoder.end();
    });
  });
}

function createDecoder(encoding: string, firstChunk: Buffer) {
  if (encoding === 'br') return createBrotliDecompress();
  if (encoding === 'deflate') {
    // "deflate" should be zlib-wrapped, but some servers send raw deflate; the zlib header tells them apart.
    const [b0 = 0, b1 = 0] = firstChunk;
    const zlibWrapped = (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
    return zlibWrapped ? createInflate() : createInflateRaw();
  }
  return createGunzip();
}

function statusError(feedUrl: string, status: number, retryAfter: string | undefined): FeedError {
  if (status === 410) return new FeedGoneError(feedUrl);
  const seconds = parseRetryAfter(retryAfter);
  if (status === 429 || (status === 503 && seconds !== undefined)) {
    return new RateLimitedError(feedUrl, status, seconds);
  }
  const reason = STATUS_CODES[status] ?? 'Unknown Status';
  return new FeedFetchError(`The server answered ${status} ${reason}`, feedUrl, { status });
}

function networkError(
  error: Error,
  feedUrl: string,
  target: URL,
  signal: AbortSignal,
  timeoutMs: number,
): FeedError {
  if (error instanceof FeedError) return error;
  if (signal.aborted) return new FeedTimeoutError(feedUrl, timeoutMs);
  const code = (error as NodeJS.ErrnoException).code;
  // Node's messages repeat the code and host ("getaddrinfo ENOTFOUND host"); say the cause once, plainly.
  const detail = code ? `${NETWORK_CAUSES[code] ?? error.message} (${code})` : error.message;
  return new FeedFetchError(`Could not fetch from ${target.host}: ${detail}`, feedUrl, { cause: error });
}

const NETWORK_CAUSES: Record<string, string> = {
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be looked up',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
};

function header(response: IncomingMessage, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
