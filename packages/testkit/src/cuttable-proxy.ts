import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP relay in front of a server that a test can cut, as if that server died, and restore. */
export interface CuttableProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  /** Bytes relayed from the target to clients since the relay started (all connections). */
  readonly bytesDown: number;
  /** Bytes relayed from clients to the target since the relay started (all connections). */
  readonly bytesUp: number;
  /** Drops every open connection (a reset, mid-transfer) and refuses new ones until {@link restore}. */
  cut(): Promise<void>;
  /**
   * Cuts (as {@link cut}) at the moment `bytes` more bytes have passed in `direction`
   * (`down`: from the target, as in a pull; `up`: to it, as in a push), in the middle of
   * whatever is being transferred then. Resolves once cut.
   */
  cutAfter(bytes: number, direction: 'down' | 'up'): Promise<void>;
  /** Listens again on the same port and relays new connections. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a relay on a loopback port that pipes each connection to `target`
 * (`http://host:port`) byte for byte. {@link CuttableProxy.cut} resets every connection and
 * stops listening, so new connections are refused (ECONNREFUSED), exactly what a client sees
 * when the process behind it is killed; {@link CuttableProxy.restore} brings it back.
 */
export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  let bytesDown = 0;
  let bytesUp = 0;
  let trigger: { direction: 'down' | 'up'; at: number; fire: () => void } | null = null;
  const check = (direction: 'down' | 'up') => {
    const t = trigger;
    if (t && t.direction === direction && (direction === 'down' ? bytesDown : bytesUp) >= t.at) {
      trigger = null;
      t.fire();
    }
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port), to.hostname);
    sockets.add(client);
    sockets.add(upstream);
    // Counted (and cut, when a trigger fires) before the chunk is piped on.
    client.on('data', (chunk: Buffer) => {
      bytesUp += chunk.length;
      check('up');
    });
    upstream.on('data', (chunk: Buffer) => {
      bytesDown += chunk.length;
      check('down');
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const closeServer = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const cut = async () => {
    const closed = closeServer();
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    get bytesDown() {
      return bytesDown;
    },
    get bytesUp() {
      return bytesUp;
    },
    cut,
    cutAfter: (bytes, direction) =>
      new Promise<void>((resolve, reject) => {
        const at = (direction === 'down' ? bytesDown : bytesUp) + bytes;
        trigger = { direction, at, fire: () => void cut().then(resolve, reject) };
      }),
    restore: () => (server.listening ? Promise.resolve() : listen(port)),
    close: cut,
  };
}
