import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT, MediaType, sha256Digest } from '@berth/oci';
import { skopeoCopy, skopeoInspect, startBuiltBerth, writeImageLayout, type BerthProcess } from '@berth/testkit';

const ADMIN = { username: 'admin', password: 'crash-test-admin-pw' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

/**
 * The built Berth on its embedded registry, killed with SIGKILL in the middle of an upload
 * and in the middle of manifest puts, then started again on the same data dir: every stored
 * blob still hashes to its name, every tag resolves to a manifest whose blobs are all there,
 * and the interrupted push succeeds when retried.
 */
describe('crash: SIGKILL mid-upload and mid-manifest-put on the embedded registry', () => {
  let work: string;
  let dataDir: string;
  let berth: BerthProcess;
  const env = () => ({ BERTH_DATA_DIR: dataDir, BERTH_ADMIN_PASSWORD: ADMIN.password, BERTH_LOG_LEVEL: 'warn', BERTH_PULL_FLUSH_MS: '100' });
  const host = () => new URL(berth.url).host;
  const v2 = (p: string, init: RequestInit = {}) =>
    fetch(`${berth.url}/v2/${p}`, { ...init, headers: { authorization: AUTH, accept: MANIFEST_ACCEPT, ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-crash-'));
    dataDir = path.join(work, 'data');
    berth = await startBuiltBerth(env());
    const created = await fetch(`${berth.url}/api/v1/repositories`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'crash' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await berth?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const kill = async () => {
    process.kill(berth.pid, 'SIGKILL');
    await berth.stop();
  };

  /** Every blob file re-hashes to its name; every tag resolves and reaches only present blobs. */
  const verifyStorage = async () => {
    const blobs = path.join(dataDir, 'registry', 'blobs');
    let files = 0;
    for (const alg of fs.readdirSync(blobs)) {
      for (const prefix of fs.readdirSync(path.join(blobs, alg))) {
        for (const hex of fs.readdirSync(path.join(blobs, alg, prefix))) {
          const data = fs.readFileSync(path.join(blobs, alg, prefix, hex));
          expect(`${alg}:${createHash(alg).update(data).digest('hex')}`).toBe(`${alg}:${hex}`);
          files++;
        }
      }
    }
    expect(files).toBeGreaterThan(0);
    let tags = 0;
    for (const name of ['crash/before', 'crash/manifests']) {
      const list = await v2(`${name}/tags/list`);
      if (list.status === 404) continue;
      for (const tag of ((await list.json()) as { tags: string[] }).tags) {
        const res = await v2(`${name}/manifests/${tag}`);
        expect(res.status).toBe(200);
        const m = (await res.json()) as { config?: { digest: string }; layers?: { digest: string }[]; manifests?: { digest: string }[] };
        for (const d of [m.config?.digest, ...(m.layers ?? []).map((l) => l.digest)].filter(Boolean)) {
          expect((await v2(`${name}/blobs/${d}`, { method: 'HEAD' })).status).toBe(200);
        }
        tags++;
      }
    }
    return { files, tags };
  };

  it('keeps stored content whole when killed during a blob upload, and the push succeeds on retry', async () => {
    const layout = path.join(work, 'layout');
    const before = await writeImageLayout(layout, { tag: 'before', layers: [{ randomBytes: 500_000, seed: 'before' }] });
    await skopeoCopy(`oci:${layout}:before`, `docker://${host()}/crash/before:before`, { destCreds: ADMIN });
    const big = await writeImageLayout(layout, { tag: 'big', layers: [{ randomBytes: 48 * 1024 * 1024, seed: 'big' }] });

    // A chunked PATCH through Berth that we hold open after the first 8 MiB.
    const start = await v2('crash/before/blobs/uploads/', { method: 'POST' });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location')!, berth.url);
    const req = http.request(location, { method: 'PATCH', headers: { authorization: AUTH, 'content-type': 'application/octet-stream', 'content-length': String(32 * 1024 * 1024) } });
    req.on('error', () => undefined);
    req.write(randomBytes(8 * 1024 * 1024));
    const uploads = path.join(dataDir, 'registry', 'uploads');
    const received = () =>
      fs.readdirSync(uploads).some((id) => {
        try {
          return fs.statSync(path.join(uploads, id, 'data')).size > 0;
        } catch {
          return false;
        }
      });
    for (let waited = 0; !received() && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(received()).toBe(true);
    // And a real client mid-push at the same moment.
    const push = skopeoCopy(`oci:${layout}:big`, `docker://${host()}/crash/before:big`, { destCreds: ADMIN }).then(
      () => 'done',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 300));
    await kill();
    req.destroy();
    await push;

    berth = await startBuiltBerth(env());
    const { tags } = await verifyStorage();
    expect(tags).toBeGreaterThanOrEqual(1);
    const served = await skopeoInspect(`docker://${host()}/crash/before:before`, { raw: true, creds: ADMIN });
    expect(sha256Digest(served)).toBe(before.manifestDigest);

    await skopeoCopy(`oci:${layout}:big`, `docker://${host()}/crash/before:big`, { destCreds: ADMIN });
    const retried = await skopeoInspect(`docker://${host()}/crash/before:big`, { raw: true, creds: ADMIN });
    expect(sha256Digest(retried)).toBe(big.manifestDigest);
  });

  it('never leaves a tag on a missing manifest when killed during manifest puts', async () => {
    // One config and layer, then many manifests (each a different annotation) put by tag.
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } }));
    const layer = randomBytes(1024);
    for (const blob of [config, layer]) {
      const res = await v2(`crash/manifests/blobs/uploads/?digest=${sha256Digest(blob)}`, { method: 'POST', body: blob, headers: { 'content-type': 'application/octet-stream' } });
      if (res.status === 202) {
        const put = await fetch(new URL(`${res.headers.get('location')!}${res.headers.get('location')!.includes('?') ? '&' : '?'}digest=${sha256Digest(blob)}`, berth.url), {
          method: 'PUT',
          headers: { authorization: AUTH },
          body: blob,
        });
        expect(put.status).toBe(201);
      } else expect(res.status).toBe(201);
    }
    const manifest = (i: number) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciConfig, digest: sha256Digest(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest(layer), size: layer.length }],
        annotations: { n: String(i) },
      });
    let stored = 0;
    let stop = false;
    const writers = [0, 1, 2].map(async (w) => {
      for (let i = 0; !stop; i++) {
        const res = await v2(`crash/manifests/manifests/t${w}-${i % 20}`, { method: 'PUT', body: manifest(w * 100_000 + i), headers: { 'content-type': MediaType.OciManifest } }).catch(() => null);
        if (!res) return;
        if (res.status === 201) stored++;
      }
    });
    for (let waited = 0; stored < 30 && waited < 20_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(stored).toBeGreaterThanOrEqual(30);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 200)));
    await kill();
    stop = true;
    await Promise.all(writers);

    berth = await startBuiltBerth(env());
    const { tags } = await verifyStorage();
    expect(tags).toBeGreaterThan(1);
    // Putting again works.
    const again = await v2('crash/manifests/manifests/after', { method: 'PUT', body: manifest(-1), headers: { 'content-type': MediaType.OciManifest } });
    expect(again.status).toBe(201);
  });
});
