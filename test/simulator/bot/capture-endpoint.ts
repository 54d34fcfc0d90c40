import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface Captured {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, any>;
}

/** A stand-in bot endpoint that records what the channel posts and answers `status`. */
export async function startCaptureEndpoint(status = 200): Promise<{ endpoint: string; posts: Captured[]; close(): Promise<void> }> {
  const posts: Captured[] = [];
  const app = express();
  app.post('/api/messages', express.json(), (req, res) => {
    posts.push({ headers: { ...req.headers }, body: req.body });
    res.status(status).end();
  });
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
    posts,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
