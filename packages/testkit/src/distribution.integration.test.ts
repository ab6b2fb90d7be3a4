import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { distributionInstalled, htpasswdLine, startDistribution, type Distribution } from './distribution.ts';
import { tempDir } from './ports.ts';

const OCI_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

/** Pushes a tiny OCI image over plain HTTP: one empty-ish config blob and a manifest. */
async function pushTiny(base: string, name: string, tag: string, headers: Record<string, string> = {}): Promise<Response> {
  const config = Buffer.from('{}');
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const post = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST', headers });
  expect(post.status).toBe(202);
  const location = new URL(post.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: config });
  expect(put.status).toBe(201);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length },
    layers: [],
  });
  return fetch(`${base}/v2/${name}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
}

describe('startDistribution', () => {
  const started: Distribution[] = [];
  afterAll(async () => {
    for (const d of started) await d.stop();
  });

  it('is installed on this machine', () => {
    expect(distributionInstalled()).toBe(true);
  });

  it('starts on a free port, serves /v2/, allows deletes, and stops', async () => {
    const t0 = performance.now();
    const d = await startDistribution();
    started.push(d);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(d.url).toBe(`http://127.0.0.1:${d.port}`);
    expect(d.host).toBe(`127.0.0.1:${d.port}`);
    expect((await fetch(`${d.url}/v2/`)).status).toBe(200);

    const put = await pushTiny(d.url, 'acme/tiny', 'v1');
    expect(put.status).toBe(201);
    const digest = put.headers.get('docker-content-digest')!;
    const get = await fetch(`${d.url}/v2/acme/tiny/manifests/v1`, { headers: { accept: OCI_ACCEPT } });
    expect(get.status).toBe(200);
    const del = await fetch(`${d.url}/v2/acme/tiny/manifests/${digest}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    expect(existsSync(d.storageDir)).toBe(true);

    await d.stop();
    await d.stop();
    await expect(fetch(`${d.url}/v2/`)).rejects.toThrow();
    expect(existsSync(d.storageDir)).toBe(false);
  });

  it('keeps a given storage dir across restarts', async () => {
    const kept = await tempDir('kept');
    const storageDir = join(kept.path, 'storage');
    const a = await startDistribution({ storageDir });
    started.push(a);
    expect((await pushTiny(a.url, 'keep/me', 'v1')).status).toBe(201);
    await a.stop();
    const b = await startDistribution({ storageDir });
    started.push(b);
    const tags = (await (await fetch(`${b.url}/v2/keep/me/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['v1']);
    await b.stop();
    expect(existsSync(storageDir)).toBe(true);
    await kept.cleanup();
  });

  it('htpasswd auth: 401 without credentials, 200 with them', async () => {
    expect(bcrypt.compareSync('s3cret', htpasswdLine('u', 's3cret').split(':')[1]!)).toBe(true);
    const d = await startDistribution({ auth: { username: 'admin', password: 'pa:ss word' } });
    started.push(d);
    const anon = await fetch(`${d.url}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic /);
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await fetch(`${d.url}/v2/`, { headers: basic('admin', 'wrong') })).status).toBe(401);
    expect((await fetch(`${d.url}/v2/`, { headers: basic('admin', 'pa:ss word') })).status).toBe(200);
  });

  it('sends push notifications to the configured endpoint', async () => {
    const events: { action: string; target: { repository: string; tag?: string } }[] = [];
    let auth: string | undefined;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        auth = req.headers.authorization;
        events.push(...(JSON.parse(Buffer.concat(chunks).toString()) as { events: typeof events }).events);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const d = await startDistribution({ notificationsUrl: `http://127.0.0.1:${port}/events`, notificationsHeaders: { Authorization: 'Bearer hook' } });
      started.push(d);
      expect((await pushTiny(d.url, 'notify/me', 'v1')).status).toBe(201);
      const deadline = Date.now() + 5_000;
      while (!events.some((e) => e.action === 'push' && e.target.tag === 'v1') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(events.find((e) => e.action === 'push' && e.target.tag === 'v1')?.target.repository).toBe('notify/me');
      expect(auth).toBe('Bearer hook');
      await d.stop();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('with logLevel warn it still starts (port chosen up front)', async () => {
    const d = await startDistribution({ logLevel: 'warn' });
    started.push(d);
    expect((await fetch(`${d.url}/v2/`)).status).toBe(200);
    await d.stop();
  });
});
