/** Every failure of fetching or reading a feed: names the feed and says whether retrying can help. */
export class FeedError extends Error {
  override name = 'FeedError';
  readonly url: string;
  /** True when retrying the same request later cannot succeed (the feed registry disables such feeds). */
  readonly permanent: boolean;

  constructor(message: string, url: string, permanent: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.permanent = permanent;
  }
}

/** The server answered with an error status, or the connection failed. */
export class FeedFetchError extends FeedError {
  override name = 'FeedFetchError';
  readonly status: number | undefined;

  constructor(
    message: string,
    url: string,
    options: { status?: number; cause?: unknown; permanent?: boolean } = {},
  ) {
    super(message, url, options.permanent ?? false, { cause: options.cause });
    this.status = options.status;
  }
}

/** The feed's host resolves to an address on a private, loopback or otherwise internal network. */
export class PrivateAddressError extends FeedError {
  override name = 'PrivateAddressError';
  readonly address: string;

  constructor(url: string, address: string) {
    super(
      `Refusing to connect to ${address}: it is a private or internal network address ` +
        '(set CIPHERWATCH_ALLOW_PRIVATE_NETWORKS=true to allow it for local testing)',
      url,
      true,
    );
    this.address = address;
  }
}

/** The feed body is larger than the limit once decompressed. */
export class FeedTooLargeError extends FeedError {
  override name = 'FeedTooLargeError';
  readonly maxBytes: number;

  constructor(url: string, maxBytes: number) {
    super(`The feed is larger than the ${formatBytes(maxBytes)} limit after decompression`, url, false);
    this.maxBytes = maxBytes;
  }
}

/** The whole fetch, redirects included, took longer than the deadline. */
export class FeedTimeoutError extends FeedError {
  override name = 'FeedTimeoutError';
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    super(`The feed did not arrive within ${timeoutMs / 1000} seconds`, url, false);
    this.timeoutMs = timeoutMs;
  }
}

/** The body arrived but is not a feed we can read. */
export class FeedParseError extends FeedError {
  override name = 'FeedParseError';

  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, url, false, options);
  }
}

/** The URL is malformed or uses a scheme other than http or https. */
export class UnsupportedUrlError extends FeedError {
  override name = 'UnsupportedUrlError';

  constructor(message: string, url: string) {
    super(message, url, true);
  }
}

/** The server kept redirecting past the limit. */
export class TooManyRedirectsError extends FeedError {
  override name = 'TooManyRedirectsError';
  readonly maxRedirects: number;

  constructor(url: string, maxRedirects: number) {
    super(`The feed redirected more than ${maxRedirects} times`, url, false);
    this.maxRedirects = maxRedirects;
  }
}

/** The server answered 410 Gone: the feed was removed on purpose. */
export class FeedGoneError extends FeedError {
  override name = 'FeedGoneError';
  readonly status = 410;

  constructor(url: string) {
    super('The server answered 410 Gone: the feed has been removed', url, true);
  }
}

/** The server asked us to slow down (429, or 503 with Retry-After). */
export class RateLimitedError extends FeedError {
  override name = 'RateLimitedError';
  readonly status: number;
  /** How long the server asked us to wait; undefined when it did not say. */
  readonly retryAfterSeconds: number | undefined;

  constructor(url: string, status: number, retryAfterSeconds: number | undefined) {
    const wait =
      retryAfterSeconds === undefined ? 'without saying for how long' : `for ${retryAfterSeconds} seconds`;
    super(`The server answered ${status} and asked us to wait ${wait}`, url, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MB`;
  const kib = bytes / 1024;
  if (kib >= 1) return `${Number.isInteger(kib) ? kib : kib.toFixed(1)} KB`;
  return `${bytes} bytes`;
}
