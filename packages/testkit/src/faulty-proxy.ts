import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultyProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/**
 * A proxy in front of a real registry that answers 500 (an OCI `UNKNOWN` error) to the
 * requests `refuse` picks (by method and path, asked at each request) and passes every other
 * request through unchanged: one injected failure, everything else real.
 */
export async function startFaultyProxy(upstream: string, refuse: (method: string, path: string) => boolean): Promise<FaultyProxy> {
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    if (refuse(req.method ?? '', req.url?.split('?')[0] ?? '')) {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNKNOWN","message":"injected failure"}]}');
      return;
    }
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
