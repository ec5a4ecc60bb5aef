import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createGuardedLookup, isPrivateAddress, type Resolver } from '#lib/reader/address-guard.ts';
import { PrivateAddressError } from '#lib/reader/errors.ts';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.255.254', 'the rest of 127/8'],
    ['10.0.0.5', '10/8'],
    ['172.16.0.1', '172.16/12 start'],
    ['172.31.255.255', '172.16/12 end'],
    ['192.168.1.1', '192.168/16'],
    ['169.254.169.254', 'link-local cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT start'],
    ['100.127.255.255', 'carrier-grade NAT end'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '0/8'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast SSDP'],
    ['240.0.0.1', 'reserved 240/4'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.0.8', '192.0.0.0/24'],
    ['198.18.0.1', 'benchmarking 198.18/15'],
    ['198.19.255.255', 'benchmarking 198.18/15 end'],
    ['::', 'IPv6 unspecified'],
    ['::1', 'IPv6 loopback'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456::1', 'unique local fd'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with zone'],
    ['febf::1', 'link-local end'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:10.0.0.5', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['64:ff9b::a00:5', 'NAT64 of 10.0.0.5'],
    ['2002:a00:5::1', '6to4 of 10.0.0.5'],
    ['[::1]', 'bracketed IPv6 loopback'],
    ['not-an-ip', 'a host name (never trusted)'],
  ])('treats %s as private (%s)', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    ['93.184.216.34', 'public IPv4'],
    ['8.8.8.8', 'public resolver'],
    ['172.32.0.1', 'just past 172.16/12'],
    ['100.128.0.1', 'just past CGNAT'],
    ['169.255.0.1', 'just past link-local'],
    ['198.20.0.1', 'just past benchmarking'],
    ['223.255.255.255', 'just below multicast'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['::ffff:93.184.216.34', 'IPv4-mapped public'],
    ['64:ff9b::808:808', 'NAT64 of a public address'],
  ])('treats %s as public (%s)', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

function lookupOnce(
  lookup: ReturnType<typeof createGuardedLookup>,
  options: { all?: boolean; family?: number },
): Promise<{
  error: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number | undefined;
}> {
  return new Promise((resolve) => {
    lookup('feeds.example', options, (error, address, family) => resolve({ error, address, family }));
  });
}

describe('createGuardedLookup', () => {
  const resolveTo =
    (...addresses: string[]): Resolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it.each(['10.0.0.5', '169.254.169.254', '::ffff:127.0.0.1', 'fd00::1'])(
    'refuses a host that resolves to %s with a PrivateAddressError naming the address',
    async (hostile) => {
      const lookup = createGuardedLookup({
        allowPrivate: false,
        resolve: resolveTo(hostile),
        url: 'http://f/',
      });

      const { error } = await lookupOnce(lookup, {});

      expect(error).toBeInstanceOf(PrivateAddressError);
      expect((error as PrivateAddressError).address).toBe(hostile);
      expect((error as PrivateAddressError).permanent).toBe(true);
    },
  );

  it('refuses when any of several addresses is private (no rebinding through a mixed answer)', async () => {
    const lookup = createGuardedLookup({
      allowPrivate: false,
      resolve: resolveTo('93.184.216.34', '10.0.0.1'),
    });

    const { error } = await lookupOnce(lookup, { all: true });

    expect(error).toBeInstanceOf(PrivateAddressError);
  });

  it('answers with one address in the classic callback shape', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolve: resolveTo('93.184.216.34') });

    const result = await lookupOnce(lookup, {});

    expect(result).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it('answers with every address when asked for all (the autoSelectFamily path)', async () => {
    const lookup = createGuardedLookup({
      allowPrivate: false,
      resolve: resolveTo('93.184.216.34', '2606:4700::1'),
    });

    const result = await lookupOnce(lookup, { all: true });

    expect(result.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
  });

  it('lets private addresses through when private networks are allowed', async () => {
    const lookup = createGuardedLookup({ allowPrivate: true, resolve: resolveTo('127.0.0.1') });

    const result = await lookupOnce(lookup, {});

    expect(result.address).toBe('127.0.0.1');
  });

  it('reports ENOTFOUND when no address of the wanted family exists', async () => {
    const lookup = createGuardedLookup({ allowPrivate: false, resolve: resolveTo('93.184.216.34') });

    const { error } = await lookupOnce(lookup, { family: 6 });

    expect(error?.code).toBe('ENOTFOUND');
  });
});
