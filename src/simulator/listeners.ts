import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Keep-alive idle time longer than the clients' (undici 4 s, Node's agent 5 s): the client closes an idle
 * socket first, so it never reuses one the server is closing (a spurious ECONNRESET under load).
 */
const KEEP_ALIVE_MS = 30_000;

export async function listen(server: Server, port: number, host: string): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops accepting, drops every open (idle or busy) connection, and resolves once the server is closed. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
