import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PrivateAddressError } from './errors.ts';

/** Resolves a host name to every address it has; injectable so tests never touch real DNS. */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** The callback shapes of `dns.lookup`: one address, or all of them when `options.all` is set. */
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A function with `dns.lookup`'s signature, usable as the `lookup` option of `http.request`. */
export type GuardedLookup = (
  hostname: string,
  options: LookupOptions | number | LookupCallback,
  callback?: LookupCallback,
) => void;

// [first address, prefix length] — every range that is not the public internet.
const PRIVATE_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata endpoints live here
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes 255.255.255.255 broadcast
];

const PRIVATE_V4_RANGES = PRIVATE_V4.map(([first, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ipv4ToInt(first) & mask) >>> 0, mask };
});

/**
 * True when an IP address must not be fetched from by default: loopback, private, link-local, carrier-grade NAT,
 * multicast, reserved, documentation or unspecified, in IPv4 or IPv6 (IPv4 embedded in IPv6 is unwrapped).
 * Anything that is not an IP address counts as private, so a surprise never opens the door.
 */
export function isPrivateAddress(ip: string): boolean {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const version = isIP(address);
  if (version === 4) return isPrivateV4(ipv4ToInt(address));
  if (version === 6) return isPrivateV6(address);
  return true;
}

function isPrivateV4(value: number): boolean {
  return PRIVATE_V4_RANGES.some(({ base, mask }) => (value & mask) >>> 0 === base);
}

function isPrivateV6(address: string): boolean {
  const groups = ipv6Groups(address);
  if (groups === undefined) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embeddedV4 = ((g6 << 16) | g7) >>> 0;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): the connection goes to the IPv4 address.
  if (firstFiveZero && g5 === 0xffff) return isPrivateV4(embeddedV4);
  if (firstFiveZero && g5 === 0) {
    if (g6 === 0 && (g7 === 0 || g7 === 1)) return true; // :: and ::1
    return isPrivateV4(embeddedV4);
  }
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach IPv4 hosts, so judge the IPv4 address inside.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isPrivateV4(embeddedV4);
  }
  if (g0 === 0x2002) return isPrivateV4(((g1 << 16) | g2) >>> 0);
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return true; // deprecated site-local fec0::/10
  if ((g0 & 0xff00) === 0xff00) return true; // multicast ff00::/8
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation 2001:db8::/32
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard 100::/64
  return false;
}

function ipv4ToInt(address: string): number {
  const parts = address.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

/** Expands an IPv6 address (validated by `isIP`) into eight 16-bit groups. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.some(Number.isNaN) ? undefined : groups;
}

/** The system resolver, asked for every address so none slips past the check. */
export const systemResolver: Resolver = async (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Builds a `dns.lookup`-compatible function that refuses private addresses (unless allowed) after resolving,
 * so the check applies to the very address the socket connects to — no gap for DNS rebinding.
 * `isPrivate` is injectable so tests can treat loopback as public and still prove the check runs.
 */
export function createGuardedLookup(options: {
  allowPrivate: boolean;
  resolve?: Resolver | undefined;
  isPrivate?: ((ip: string) => boolean) | undefined;
  /** The feed URL named in errors. */
  url?: string | undefined;
}): GuardedLookup {
  const resolve = options.resolve ?? systemResolver;
  const isPrivate = options.isPrivate ?? isPrivateAddress;
  return (hostname, lookupOptions, maybeCallback) => {
    const callback = typeof lookupOptions === 'function' ? lookupOptions : maybeCallback;
    if (callback === undefined) throw new TypeError('lookup needs a callback');
    const opts: LookupOptions = typeof lookupOptions === 'object' ? lookupOptions : {};
    const wantedFamily = familyNumber(typeof lookupOptions === 'number' ? lookupOptions : opts.family);
    resolve(hostname).then(
      (found) => {
        const addresses = found.filter((entry) => wantedFamily === 0 || entry.family === wantedFamily);
        const refused = options.allowPrivate
          ? undefined
          : addresses.find((entry) => isPrivate(entry.address));
        if (refused) {
          callback(new PrivateAddressError(options.url ?? hostname, refused.address), '');
          return;
        }
        const first = addresses[0];
        if (first === undefined) {
          const error: NodeJS.ErrnoException = new Error(`No address found for ${hostname}`);
          error.code = 'ENOTFOUND';
          callback(error, '');
          return;
        }
        if (opts.all)
          callback(
            null,
            addresses.map((entry) => ({ address: entry.address, family: entry.family })),
          );
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
    );
  };
}

function familyNumber(family: number | 'IPv4' | 'IPv6' | undefined): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}
