import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startBerth, type RunningBerth } from './harness.ts';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const PLAIN = sha('plain');
const STORAGE = sha('storage');
const SPLIT = sha('split');
const ADMIN = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

/**
 * A compromised (or simply careless) upstream registry must not reach past the /v2 reply:
 * no cookies or browser policies for Berth's origin, no header smuggled in with a bare CR,
 * and its own address kept out of the Locations clients see.
 */
describe('security: what a hostile upstream registry can send through the front door', () => {
  let upstream: http.Server;
  let origin: string;
  let berth: RunningBerth;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/v2/' || url === '/v2') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (url === `/v2/team/app/blobs/${PLAIN}`) {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'docker-content-digest': PLAIN,
          'set-cookie': 'berth_session=planted-by-upstream; Path=/',
          'access-control-allow-origin': '*',
          'access-control-allow-credentials': 'true',
          'content-security-policy': "default-src *; script-src 'unsafe-inline'",
          'strict-transport-security': 'max-age=0',
          'x-request-id': 'chosen-by-upstream',
          'refresh': '0; url=https://evil.example/',
        });
        res.end('plain');
      } else if (url === `/v2/team/app/blobs/${STORAGE}`) {
        res.writeHead(307, { location: 'https://storage.example/bucket/blob?signature=1' }).end();
      } else if (url === `/v2/team/app/blobs/${SPLIT}`) {
        // Written to the socket as is: a bare CR inside a header value, hoping to start another header.
        req.socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 5\r\nLocation: /v2/team/app/x\rSet-Cookie: berth_session=smuggled\r\nDocker-Content-Digest: ${SPLIT}\r\n\r\nsplit`);
      } else if (url.startsWith('/v2/team/app/blobs/uploads/') && req.method === 'POST') {
        res.writeHead(202, { location: `${origin}/v2/team/app/blobs/uploads/u1?_state=abc`, 'docker-upload-uuid': 'u1', range: '0-0' }).end();
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"nope"}]}');
      }
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    berth = await startBerth(origin);
    expect((await berth.api('POST', '/repositories', { name: 'team' })).status).toBe(201);
  });

  afterAll(async () => {
    await berth?.stop();
    await new Promise((r) => upstream?.close(r));
  });

  const v2 = (p: string, method = 'GET') => fetch(`${berth.url}${p}`, { method, redirect: 'manual', headers: { authorization: ADMIN } });

  it('relays the registry headers of a blob and nothing meant for a browser', async () => {
    const res = await v2(`/v2/team/app/blobs/${PLAIN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('plain');
    expect(res.headers.get('docker-content-digest')).toBe(PLAIN);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    for (const h of ['set-cookie', 'access-control-allow-origin', 'access-control-allow-credentials', 'content-security-policy', 'strict-transport-security', 'refresh']) {
      expect(res.headers.get(h), h).toBeNull();
    }
    expect(res.headers.get('x-request-id')).not.toBe('chosen-by-upstream');
  });

  it('turns the upstream’s own absolute upload Location into a Berth path', async () => {
    const res = await v2('/v2/team/app/blobs/uploads/', 'POST');
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe('/v2/team/app/blobs/uploads/u1?_state=abc');
    expect(res.headers.get('docker-upload-uuid')).toBe('u1');
  });

  it('passes a storage redirect to another host as it came (distribution’s redirect to object storage)', async () => {
    const res = await v2(`/v2/team/app/blobs/${STORAGE}`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('https://storage.example/bucket/blob?signature=1');
  });

  it('lets no header in through a bare CR in an upstream header', async () => {
    const res = await v2(`/v2/team/app/blobs/${SPLIT}`);
    expect(res.headers.get('set-cookie')).toBeNull();
    for (const [, value] of res.headers) expect(value).not.toMatch(/[\r\n]/);
    await res.arrayBuffer();
  });
});
