import { type AddressInfo, createServer } from 'node:net';

/**
 * A loopback port nobody listens on: bound, read and released, so a connection to it is refused at
 * once (on this machine, never the network) — how tests make a mail server or a feed unreachable.
 */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
