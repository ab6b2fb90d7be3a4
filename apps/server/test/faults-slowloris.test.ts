import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const ADMIN_BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
const KiB = 1024;

/** A raw TCP client: what it received, and whether the server closed the connection on it. */
interface RawClient {
  socket: net.Socket;
  received: () => string;
  /** Resolves when the connection is closed (never by this client, in these tests). */
  closed: Promise<void>;
  /** Stops writing. */
  stop: () => void;
}

/** Opens a connection to Berth and writes `head` then `drip` (one piece every `everyMs`, repeating) until closed. */
function trickle(port: number, head: string, drip: string | null, everyMs: number): RawClient {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    if (head) socket.write(head);
    if (drip === null) return;
    let i = 0;
    timer = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(drip[i++ % drip.length]!);
    }, everyMs);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => clearInterval(timer));
  return { socket, received: () => Buffer.concat(chunks).toString('utf8'), closed, stop: () => clearInterval(timer) };
}

/**
 * Slowloris: clients that hold connections open by sending headers or bodies a byte at a
 * time, or nothing, are cut off by Berth's timeouts (set small here: BERTH_HEADERS_TIMEOUT_MS,
 * BERTH_BODY_TIMEOUT_MS, BERTH_KEEP_ALIVE_TIMEOUT_MS) while everyone else is served; a large
 * upload that keeps streaming, for longer than all of those timeouts together, is not cut.
 */
describe('faults: slowloris clients are cut off, steady uploads are not', () => {
  let registry: Upstream;
  let berth: RunningBerth;

  /** Normal requests answer while slow clients hold their connections. */
  const served = async () => {
    const answers = await Promise.all([
      berth.api('GET', '/repositories').then((r) => r.status),
      fetch(`${berth.url}/healthz`).then((r) => r.status),
      fetch(`${berth.url}/v2/`, { headers: { authorization: ADMIN_BASIC } }).then((r) => r.status),
    ]);
    expect(answers).toEqual([200, 200, 200]);
  };
  /** A blob upload session through Berth: its path. */
  const uploadSession = async () => {
    const res = await fetch(`${berth.url}/v2/slow/app/blobs/uploads/`, { method: 'POST', headers: { authorization: ADMIN_BASIC } });
    expect(res.status).toBe(202);
    const location = new URL(res.headers.get('location')!, berth.url);
    return location.pathname + location.search;
  };

  beforeAll(async () => {
    registry = await startUpstream();
    berth = await startBerth(registry.url, {
      env: { BERTH_HEADERS_TIMEOUT_MS: '1000', BERTH_BODY_TIMEOUT_MS: '1000', BERTH_BODY_MIN_BYTES_PER_SECOND: '1024', BERTH_KEEP_ALIVE_TIMEOUT_MS: '1000' },
    });
    expect((await berth.api('POST', '/repositories', { name: 'slow' })).status).toBe(201);
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
  });

  it('answers 408 and hangs up on clients that trickle their headers in or send none, serving the others meanwhile', async () => {
    const header = 'X-Slowloris: keep-me-open-as-long-as-you-can\r\n';
    const dripping = Array.from({ length: 40 }, () => trickle(berth.port, 'GET /api/v1/repositories HTTP/1.1\r\nHost: berth\r\n', header, 200));
    const silent = Array.from({ length: 10 }, () => trickle(berth.port, '', null, 0));
    await served();
    await Promise.all([...dripping, ...silent].map((c) => c.closed));
    for (const c of [...dripping, ...silent]) expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
    await served();
  });

  it('cuts a request body that trickles in, on a /v2 upload and on the API, with 408 in each one’s error form', async () => {
    const upload = trickle(
      berth.port,
      `PATCH ${await uploadSession()} HTTP/1.1\r\nHost: berth\r\nAuthorization: ${ADMIN_BASIC}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${1024 * KiB}\r\n\r\n`,
      'x',
      100,
    );
    const api = trickle(
      berth.port,
      `POST /api/v1/repositories HTTP/1.1\r\nHost: berth\r\nAuthorization: ${ADMIN_BASIC}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"name":"`,
      'a',
      100,
    );
    await served();
    await Promise.all([upload.closed, api.closed]);
    const [uploadHead, uploadBody] = upload.received().split('\r\n\r\n');
    expect(uploadHead).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(uploadBody!)).toMatchObject({ errors: [{ code: 'BLOB_UPLOAD_INVALID', message: expect.stringMatching(/too slowly/) }] });
    const [apiHead, apiBody] = api.received().split('\r\n\r\n');
    expect(apiHead).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(apiBody!)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    // Nothing of the cut request was created.
    expect((await berth.api<{ items: { name: string }[] }>('GET', '/repositories')).body.items.map((r) => r.name)).toEqual(['slow']);
    await served();
  });

  it('closes a keep-alive connection left idle after its answer', async () => {
    const idle = trickle(berth.port, 'GET /healthz HTTP/1.1\r\nHost: berth\r\nConnection: keep-alive\r\n\r\n', null, 0);
    await idle.closed;
    expect(idle.received().match(/HTTP\/1\.1 /g)).toEqual(['HTTP/1.1 ']);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('does not cut a large upload that streams steadily for longer than every timeout together', async () => {
    // 4 MiB at 64 KiB every 50 ms: several body spans, well past the headers and keep-alive timeouts.
    const data = randomBytes(4096 * KiB);
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    const session = await uploadSession();
    const patched = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${berth.url}${session}`, {
        method: 'PATCH',
        headers: { authorization: ADMIN_BASIC, 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      });
      req.on('response', resolve).on('error', reject);
      let offset = 0;
      const next = () => {
        const piece = data.subarray(offset, offset + 64 * KiB);
        offset += piece.length;
        if (offset >= data.length) req.end(piece);
        else {
          req.write(piece);
          setTimeout(next, 50);
        }
      };
      next();
    });
    patched.resume();
    expect(patched.statusCode).toBe(202);
    const finish = new URL(patched.headers.location!, berth.url);
    finish.searchParams.set('digest', digest);
    const done = await fetch(finish, { method: 'PUT', headers: { authorization: ADMIN_BASIC } });
    expect(done.status).toBe(201);
    const blob = await fetch(`${berth.url}/v2/slow/app/blobs/${digest}`, { headers: { authorization: ADMIN_BASIC } });
    expect(blob.status).toBe(200);
    expect(`sha256:${createHash('sha256').update(Buffer.from(await blob.arrayBuffer())).digest('hex')}`).toBe(digest);
  });
});
