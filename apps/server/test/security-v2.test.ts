import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoCopy, writeImageLayout } from '@berth/testkit';
import { repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

/**
 * Hostile /v2 requests: names and paths that try to leave the caller's repository,
 * cross-repository mounts from where the caller cannot read, and upload sessions carried
 * from one repository to another. Each must be refused without touching other data.
 */
describe('security: /v2 paths, mounts and upload sessions', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let alpha: string;
  let beta: string;
  let secretLayer: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sec-v2-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    alpha = basic('alpha', await repositoryWithUser(berth, 'alpha', 'ci', 'push'));
    beta = basic('beta', await repositoryWithUser(berth, 'beta', 'ci', 'push'));
    const layout = path.join(work, 'img');
    await writeImageLayout(layout, { tag: 't', layers: [{ files: { 'secret.txt': 'only alpha may read this' } }] });
    const alphaSecret = Buffer.from(alpha.slice(6), 'base64').toString().split(':')[1]!;
    await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/alpha/app:t`, { destCreds: { username: 'alpha', password: alphaSecret } });
    const manifest = (await (
      await fetch(`${berth.url}/v2/alpha/app/manifests/t`, { headers: { authorization: alpha, accept: OCI_MANIFEST } })
    ).json()) as { layers: { digest: string }[] };
    secretLayer = manifest.layers[0]!.digest;
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const v2 = (p: string, auth: string, init: RequestInit = {}) =>
    fetch(`${berth.url}${p}`, { redirect: 'manual', ...init, headers: { authorization: auth, ...(init.headers as Record<string, string>) } });
  /** A GET sent byte for byte: fetch would resolve `..` and `%2e%2e` itself before sending. */
  const raw = (p: string, auth: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: berth.port, path: p, headers: { authorization: auth } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const betaHasBlob = async (digest: string) => (await v2(`/v2/beta/app/blobs/${digest}`, beta, { method: 'HEAD' })).status === 200;

  it.each([
    '/v2/beta/../alpha/app/manifests/t',
    '/v2/beta/./../alpha/app/manifests/t',
    '/v2/beta/%2e%2e/alpha/app/manifests/t',
    '/v2/beta/%2E%2E/alpha/app/manifests/t',
    '/v2/beta%2f..%2falpha/app/manifests/t',
    '/v2/beta/..%2falpha/app/manifests/t',
    '/v2/beta/%252e%252e/alpha/app/manifests/t',
    '/v2/beta//alpha/app/manifests/t',
    '/v2/beta/..\\alpha/app/manifests/t',
    '/v2/beta/app%00/manifests/t',
    '/v2/Beta/App/manifests/t',
    `/v2/beta/${'a'.repeat(300)}/manifests/t`,
  ])('refuses the name in %s with 400 NAME_INVALID, never reading another repository', async (p) => {
    const res = await raw(p, beta);
    expect(res.status).toBe(400);
    expect((JSON.parse(res.body) as { errors: { code: string }[] }).errors[0]!.code).toBe('NAME_INVALID');
  });

  it('answers a 10,000-character path with a 4xx, not a 5xx and not a manifest', async () => {
    const res = await v2(`/v2/beta/${'a/'.repeat(5000)}manifests/t`, beta);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it.each([`/v2/beta/app/manifests/${'t'.repeat(129)}`, '/v2/beta/app/manifests/t%2f..%2f..%2falpha%2fapp', '/v2/beta/app/manifests/..'])(
    'finds no manifest at the reference in %s',
    async (p) => {
      const res = await raw(p, beta);
      expect(res.status).toBe(404);
      expect((JSON.parse(res.body) as { errors: { code: string }[] }).errors[0]!.code).toBe('MANIFEST_UNKNOWN');
    },
  );

  it('refuses a path digest that is not one (encoded slashes, other algorithms, uppercase hex)', async () => {
    for (const d of ['sha256%3a..%2f..%2f', `sha256:${'A'.repeat(64)}`, `md5:${'a'.repeat(32)}`, `sha256:${'a'.repeat(63)}/`]) {
      const res = await v2(`/v2/alpha/app/blobs/${d}`, alpha);
      expect([400, 404]).toContain(res.status);
    }
  });

  it('does not mount a blob from a repository the caller cannot read, nor tell whether it exists there', async () => {
    const mount = (from: string, digest: string) => v2(`/v2/beta/app/blobs/uploads/?mount=${digest}&from=${from}`, beta, { method: 'POST' });
    const real = await mount('alpha/app', secretLayer);
    const made = await mount('alpha/app', sha('no such blob'));
    // Both start a plain upload: the same answer whether the blob exists or not.
    expect(real.status).toBe(202);
    expect(made.status).toBe(202);
    expect(real.headers.get('docker-upload-uuid')).toBeTruthy();
    expect(await betaHasBlob(secretLayer)).toBe(false);
    // Names spelled otherwise, percent-encoded, or a one-component repository of the upstream do not help either.
    for (const from of ['alpha%2Fapp', 'ALPHA/app', 'beta/../alpha/app', 'alpha', 'alphax']) {
      expect((await mount(from, secretLayer)).status).toBe(202);
    }
    expect(await betaHasBlob(secretLayer)).toBe(false);
  });

  it('does not let a repository user mount from a one-component upstream repository whose name starts with its own', async () => {
    // Content that reached the upstream by another way, in a repository `betax` Berth does not manage.
    const content = Buffer.from('betax holds this, not beta');
    const started = await fetch(`${registry.url}/v2/betax/blobs/uploads/`, { method: 'POST' });
    expect(started.status).toBe(202);
    const location = new URL(started.headers.get('location')!, registry.url);
    location.searchParams.set('digest', sha(content));
    const put = await fetch(location, { method: 'PUT', body: content, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(201);
    const res = await v2(`/v2/beta/app/blobs/uploads/?mount=${sha(content)}&from=betax`, beta, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await betaHasBlob(sha(content))).toBe(false);
  });

  it('mounts from a repository the caller can read', async () => {
    const admin = basic('admin', 'integration-admin-pw');
    const res = await v2(`/v2/beta/app/blobs/uploads/?mount=${secretLayer}&from=alpha/app`, admin, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v2/beta/app/blobs/${secretLayer}`);
  });

  it('does not let an upload session started in one repository be read, written or finished from another', async () => {
    const started = await v2('/v2/alpha/app/blobs/uploads/', alpha, { method: 'POST' });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location.startsWith('/v2/alpha/app/blobs/uploads/')).toBe(true);
    const content = Buffer.from('pushed through a session of alpha');
    // The same session path and query, under beta.
    const hijacked = location.replace('/v2/alpha/app/', '/v2/beta/app/');
    const status = await v2(hijacked, beta);
    expect(status.status).toBeGreaterThanOrEqual(400);
    expect(status.status).toBeLessThan(500);
    const patch = await v2(hijacked, beta, { method: 'PATCH', body: content, headers: { 'content-type': 'application/octet-stream' } });
    expect(patch.status).toBeGreaterThanOrEqual(400);
    expect(patch.status).toBeLessThan(500);
    const finish = new URL(hijacked, berth.url);
    finish.searchParams.set('digest', sha(content));
    const put = await v2(finish.pathname + finish.search, beta, { method: 'PUT', body: content, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBeGreaterThanOrEqual(400);
    expect(put.status).toBeLessThan(500);
    expect(await betaHasBlob(sha(content))).toBe(false);
    // beta's own caller cannot use alpha's session under alpha either: it has no access there.
    expect([401, 403]).toContain((await v2(location, beta, { method: 'PATCH', body: content })).status);
    // The owner still can.
    const own = new URL(location, berth.url);
    own.searchParams.set('digest', sha(content));
    const done = await v2(own.pathname + own.search, alpha, { method: 'PUT', body: content, headers: { 'content-type': 'application/octet-stream' } });
    expect(done.status).toBe(201);
  });
});
