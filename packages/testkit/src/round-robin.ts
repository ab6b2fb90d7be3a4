import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP load balancer that sends each request to the next target in turn. */
export interface RoundRobin {
  url: string;
  host: string;
  /** Each request routed, in order: the target's index, the method and the path. */
  served: { target: number; method: string; url: string }[];
  /** Takes a target out of rotation (as a load balancer does after failed health checks). */
  markDown(index: number): void;
  stop(): Promise<void>;
}

/**
 * Starts a round-robin balancer in front of `targets` (base URLs). Requests alternate per
 * request, bodies are streamed, the Host header is kept (like nginx's `$http_host`), and a
 * target that refuses the connection is taken out of rotation, the request answered 502.
 */
export async function startRoundRobin(targets: string[]): Promise<RoundRobin> {
  const agent = new http.Agent({ keepAlive: true });
  const down = new Set<number>();
  const served: RoundRobin['served'] = [];
  let next = 0;
  const pick = (): number | null => {
    for (let i = 0; i < targets.length; i++) {
      const candidate = (next + i) % targets.length;
      if (!down.has(candidate)) {
        next = candidate + 1;
        return candidate;
      }
    }
    return null;
  };
  const server = http.createServer((req, res) => {
    const index = pick();
    if (index === null) {
      res.writeHead(503).end('no target up');
      return;
    }
    served.push({ target: index, method: req.method ?? 'GET', url: req.url ?? '/' });
    const target = new URL(req.url ?? '/', targets[index]);
    const upstream = http.request(target, { method: req.method, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') down.add(index);
      if (!res.headersSent) res.writeHead(502).end(`target ${index}: ${err.code ?? err.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    served,
    markDown: (i) => down.add(i),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
