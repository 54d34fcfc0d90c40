import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** One call the proxy carried: `host:port` it went to, and the local port of its socket there. */
export interface ProxiedCall {
  kind: 'connect' | 'forward';
  target: string;
  upstreamPort: number;
}

export interface RecordingProxy {
  /** e.g. http://127.0.0.1:40123, what HTTPS_PROXY is set to. */
  url: string;
  readonly calls: ProxiedCall[];
  /** The local ports of every upstream socket: a server sees a proxied call come from one of these. */
  upstreamPorts(): Set<number>;
  stop(): Promise<void>;
}

/**
 * A tiny egress proxy, as corporate networks have: CONNECT tunnels (what https:// calls use) and
 * absolute-URI forwarding (what some clients do for http:// calls), recording each host:port it
 * carried and the local port of the socket it opened there.
 */
export async function startRecordingProxy(): Promise<RecordingProxy> {
  const calls: ProxiedCall[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Forwarding: the request line carries the absolute URL (RFC 9112 §3.2.2, absolute-form).
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URL expected');
      return;
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('socket', (s) => {
      track(s);
      s.once('connect', () => calls.push({ kind: 'forward', target: target.host, upstreamPort: s.localPort! }));
    });
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      calls.push({ kind: 'connect', target: req.url!, upstreamPort: upstream.localPort! });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    upstreamPorts: () => new Set(calls.map((c) => c.upstreamPort)),
    async stop() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
