import { isIP } from 'node:net';
import { type Feed, newFeed } from '#lib/feeds/feed.ts';
import { isPrivateAddress, type Resolver, systemResolver } from '#lib/reader/address-guard.ts';

/** A feed refused at `feeds add` for the reason a poll would refuse it later. */
export class FeedRefusedError extends Error {
  override name = 'FeedRefusedError';
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AdmissionOptions {
  allowPrivateNetworks: boolean;
  /** Host name resolver; the system's by default, injected in tests so they never touch DNS. */
  resolve?: Resolver | undefined;
  now?: Date;
}

/**
 * Checks a feed the way polling will, before it enters the registry: the URL (http(s), no credentials,
 * canonical form so duplicates are caught), the language tag (BCP 47), and the address guard. A host
 * that cannot be resolved right now is admitted with a warning: the guard runs again on every poll.
 */
export async function admitFeed(
  input: { url: string; name?: string | undefined; language?: string | undefined },
  options: AdmissionOptions,
): Promise<{ feed: Feed; warning?: string }> {
  const feed = newFeed(input, options.now ?? new Date());
  if (options.allowPrivateNetworks) return { feed };
  const host = new URL(feed.url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw refused(feed.url, host);
    return { feed };
  }
  let addresses: { address: string }[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'no answer';
    return {
      feed,
      warning: `${host} could not be resolved just now (${code}); the address is checked again on every poll.`,
    };
  }
  const internal = addresses.find((entry) => isPrivateAddress(entry.address));
  if (internal) throw refused(feed.url, internal.address);
  return { feed };
}

function refused(url: string, address: string): FeedRefusedError {
  return new FeedRefusedError(
    url,
    `${url} points at ${address}, a private or internal network address. ` +
      'Feeds there are refused unless --allow-private-networks (or CIPHERWATCH_ALLOW_PRIVATE_NETWORKS=true) is set, for local testing only.',
  );
}
