import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT, MediaType, sha256Digest } from '@berth/oci';
import { skopeoCopy, skopeoInspect, startBuiltBerth, writeImageLayout, writeIndexLayout, type BerthProcess } from '@berth/testkit';
import { eventually } from './harness.ts';

const ADMIN = { username: 'admin', password: 'crash-test-admin-pw' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
const MiB = 1024 * 1024;

interface Parsed {
  config?: { digest: string };
  layers?: { digest: string }[];
  manifests?: { digest: string }[];
}

/**
 * The built Berth on its embedded registry (no BERTH_UPSTREAM_URL), killed with SIGKILL in
 * the middle of blob uploads and in the middle of manifest puts, then started again on the
 * same data dir: every stored blob still hashes to its name, every tag resolves to a
 * manifest whose blobs (and children's blobs) all read back, and the interrupted pushes
 * succeed when retried, with the same digests.
 */
describe('crash: SIGKILL mid-upload and mid-manifest-put on the embedded registry', () => {
  let work: string;
  let dataDir: string;
  let berth: BerthProcess;
  const registryDir = () => path.join(dataDir, 'registry');
  const host = () => new URL(berth.url).host;
  const v2 = (p: string, init: RequestInit = {}) =>
    fetch(`${berth.url}/v2/${p}`, { ...init, headers: { authorization: AUTH, accept: MANIFEST_ACCEPT, ...(init.headers as Record<string, string>) } });

  const start = async () => {
    berth = await startBuiltBerth({ BERTH_DATA_DIR: dataDir, BERTH_ADMIN_PASSWORD: ADMIN.password, BERTH_LOG_LEVEL: 'warn', BERTH_PULL_FLUSH_MS: '100' });
  };
  const kill = async () => {
    process.kill(berth.pid, 'SIGKILL');
    await berth.stop();
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-crash-'));
    dataDir = path.join(work, 'data');
    await start();
    const registries = await fetch(`${berth.url}/api/v1/registries`, { headers: { authorization: AUTH } });
    expect(((await registries.json()) as { items: { engine: string }[] }).items[0]!.engine).toBe('embedded');
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

  /** Reads a blob through Berth and returns its sha256 digest. */
  const blobDigest = async (name: string, digest: string): Promise<string> => {
    const res = await v2(`${name}/blobs/${digest}`);
    expect(res.status, `${name} blob ${digest}`).toBe(200);
    const hash = createHash('sha256');
    for await (const chunk of res.body!) hash.update(chunk);
    return `sha256:${hash.digest('hex')}`;
  };

  /** Fetches a manifest through Berth and checks every blob it (and each child) references. */
  const expectWholeManifest = async (name: string, reference: string): Promise<string> => {
    const res = await v2(`${name}/manifests/${reference}`);
    expect(res.status, `${name}:${reference}`).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    const digest = res.headers.get('docker-content-digest')!;
    expect(sha256Digest(body)).toBe(digest);
    const m = JSON.parse(body.toString('utf8')) as Parsed;
    for (const d of [m.config?.digest, ...(m.layers ?? []).map((l) => l.digest)]) {
      if (d) expect(await blobDigest(name, d)).toBe(d);
    }
    for (const child of m.manifests ?? []) expect(await expectWholeManifest(name, child.digest)).toBe(child.digest);
    return digest;
  };

  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

  /** Every tag and every manifest digest the registry holds on disk, as `[repository, reference]`. */
  const referencesOnDisk = (): { tags: [string, string][]; manifests: [string, string][] } => {
    const tags: [string, string][] = [];
    const manifests: [string, string][] = [];
    const walk = (dir: string, name: string) => {
      for (const entry of fs.readdirSync(dir)) {
        if (entry === '_manifests') {
          for (const tag of list(path.join(dir, entry, 'tags'))) tags.push([name, tag]);
          const revisions = path.join(dir, entry, 'revisions');
          for (const alg of list(revisions)) for (const hex of list(path.join(revisions, alg))) manifests.push([name, `${alg}:${hex}`]);
        } else if (!entry.startsWith('_')) walk(path.join(dir, entry), name ? `${name}/${entry}` : entry);
      }
    };
    walk(path.join(registryDir(), 'repositories'), '');
    return { tags, manifests };
  };

  /**
   * Every blob file re-hashes to its name; every tag, and every manifest stored untagged,
   * resolves through Berth and reaches only whole blobs.
   */
  const verifyStorage = async (): Promise<{ blobs: number; tags: number }> => {
    const blobs = path.join(registryDir(), 'blobs');
    let count = 0;
    for (const alg of fs.readdirSync(blobs)) {
      for (const prefix of fs.readdirSync(path.join(blobs, alg))) {
        for (const hex of fs.readdirSync(path.join(blobs, alg, prefix))) {
          expect(hex.slice(0, 2)).toBe(prefix);
          const hash = createHash(alg);
          for await (const chunk of fs.createReadStream(path.join(blobs, alg, prefix, hex))) hash.update(chunk as Buffer);
          expect(`${alg}:${hash.digest('hex')}`).toBe(`${alg}:${hex}`);
          count++;
        }
      }
    }
    const { tags, manifests } = referencesOnDisk();
    for (const [name, tag] of tags) await expectWholeManifest(name, tag);
    for (const [name, digest] of manifests) expect(await expectWholeManifest(name, digest)).toBe(digest);
    return { blobs: count, tags: tags.length };
  };

  /** Bytes on disk of each upload session the registry holds. */
  const uploadSizes = (): Map<string, number> => {
    const dir = path.join(registryDir(), 'uploads');
    const out = new Map<string, number>();
    for (const id of fs.readdirSync(dir)) {
      const st = fs.statSync(path.join(dir, id, 'data'), { throwIfNoEntry: false });
      if (st) out.set(id, st.size);
    }
    return out;
  };

  it('keeps stored content whole when killed during blob uploads; the upload resumes and the push succeeds on retry', async () => {
    const layout = path.join(work, 'upload-layout');
    const before = await writeImageLayout(layout, { tag: 'before', layers: [{ randomBytes: 500_000, seed: 'before' }] });
    await skopeoCopy(`oci:${layout}:before`, `docker://${host()}/crash/uploads:before`, { destCreds: ADMIN });
    const big = await writeImageLayout(layout, { tag: 'big', layers: [{ randomBytes: 48 * MiB, seed: 'big' }] });

    // A raw chunked PATCH through Berth announcing 32 MiB, held open after the first 8 MiB.
    const data = randomBytes(32 * MiB);
    const opened = await v2('crash/uploads/blobs/uploads/', { method: 'POST' });
    expect(opened.status).toBe(202);
    const session = new URL(opened.headers.get('location')!, berth.url);
    const id = session.pathname.split('/').pop()!;
    const req = http.request(session, { method: 'PATCH', headers: { authorization: AUTH, 'content-type': 'application/octet-stream', 'content-length': String(data.length) } });
    req.on('error', () => undefined);
    req.write(data.subarray(0, 8 * MiB));
    await eventually(async () => expect(uploadSizes().get(id)).toBeGreaterThan(0), 20_000);

    // And skopeo mid-push of a 48 MiB layer: kill once part of it is on disk (or, should it
    // be that fast, once it is done).
    let pushed = false;
    const push = skopeoCopy(`oci:${layout}:big`, `docker://${host()}/crash/uploads:big`, { destCreds: ADMIN }).then(
      () => (pushed = true),
      () => false,
    );
    await eventually(async () => expect(pushed || [...uploadSizes()].some(([other, size]) => other !== id && size >= MiB)).toBe(true), 60_000);
    await kill();
    req.destroy();
    await push;

    await start();
    const { tags } = await verifyStorage();
    expect(tags).toBeGreaterThanOrEqual(1);
    expect(await expectWholeManifest('crash/uploads', 'before')).toBe(before.manifestDigest);

    // The raw upload survived the crash: it reports what reached the disk and resumes from there.
    const status = await v2(`crash/uploads/blobs/uploads/${id}`);
    expect(status.status).toBe(204);
    const offset = Number(status.headers.get('range')!.split('-')[1]) + 1;
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(8 * MiB);
    const rest = await v2(`crash/uploads/blobs/uploads/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${data.length - 1}` },
      body: data.subarray(offset),
    });
    expect(rest.status).toBe(202);
    const done = await fetch(new URL(`${rest.headers.get('location')!}?digest=${sha256Digest(data)}`, berth.url), { method: 'PUT', headers: { authorization: AUTH } });
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(sha256Digest(data));
    expect(await blobDigest('crash/uploads', sha256Digest(data))).toBe(sha256Digest(data));

    // skopeo's retry succeeds with the layout's digest.
    await skopeoCopy(`oci:${layout}:big`, `docker://${host()}/crash/uploads:big`, { destCreds: ADMIN });
    const retried = await skopeoInspect(`docker://${host()}/crash/uploads:big`, { raw: true, creds: ADMIN });
    expect(sha256Digest(retried)).toBe(big.manifestDigest);
    expect(await expectWholeManifest('crash/uploads', 'big')).toBe(big.manifestDigest);
    await verifyStorage();
  });

  it('never leaves a tag on a missing manifest or blob when killed during manifest puts; the retries succeed', async () => {
    // One config and layer, then many manifests (each a different annotation) put by tag,
    // while skopeo pushes a multi-arch index.
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } }));
    const layer = randomBytes(1024);
    for (const blob of [config, layer]) {
      const res = await v2(`crash/manifests/blobs/uploads/?digest=${sha256Digest(blob)}`, { method: 'POST', body: blob, headers: { 'content-type': 'application/octet-stream' } });
      expect(res.status).toBe(201);
    }
    const manifest = (n: number) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciConfig, digest: sha256Digest(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest(layer), size: layer.length }],
        annotations: { n: String(n) },
      });
    const layout = path.join(work, 'index-layout');
    const multi = await writeIndexLayout(layout, {
      tag: 'multi',
      platforms: ['amd64', 'arm64', 'ppc64le', 's390x', '386', 'riscv64'].map((architecture) => ({
        os: 'linux',
        architecture,
        layers: [{ randomBytes: 200_000, seed: `crash-${architecture}` }],
      })),
    });

    let stored = 0;
    let killed = false;
    /** Per writer, the put that had no answer when Berth died. */
    const interrupted: { tag: string; body: string }[] = [];
    const writers = [0, 1, 2].map(async (w) => {
      for (let i = 0; !killed; i++) {
        const put = { tag: `t${w}-${i % 20}`, body: manifest(w * 100_000 + i) };
        const res = await v2(`crash/manifests/manifests/${put.tag}`, { method: 'PUT', body: put.body, headers: { 'content-type': MediaType.OciManifest } }).catch(() => null);
        if (!res) {
          interrupted.push(put);
          return;
        }
        expect(res.status).toBe(201);
        stored++;
      }
    });
    const push = skopeoCopy(`oci:${layout}:multi`, `docker://${host()}/crash/multi:multi`, { destCreds: ADMIN, all: true }).then(
      () => true,
      () => false,
    );
    await eventually(async () => expect(stored).toBeGreaterThanOrEqual(30), 30_000);
    // A random point among the puts (and somewhere in skopeo's push).
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
    await kill();
    killed = true;
    await Promise.all(writers);
    await push;

    await start();
    const { tags } = await verifyStorage();
    expect(tags).toBeGreaterThan(1);

    // Each interrupted put, retried as it was, succeeds with the digest of its bytes.
    expect(interrupted.length).toBeGreaterThan(0);
    for (const put of interrupted) {
      const again = await v2(`crash/manifests/manifests/${put.tag}`, { method: 'PUT', body: put.body, headers: { 'content-type': MediaType.OciManifest } });
      expect(again.status).toBe(201);
      expect(again.headers.get('docker-content-digest')).toBe(sha256Digest(put.body));
      expect(await expectWholeManifest('crash/manifests', put.tag)).toBe(sha256Digest(put.body));
    }
    // skopeo's retry of the whole index succeeds with the layout's digests.
    await skopeoCopy(`oci:${layout}:multi`, `docker://${host()}/crash/multi:multi`, { destCreds: ADMIN, all: true });
    const raw = await skopeoInspect(`docker://${host()}/crash/multi:multi`, { raw: true, creds: ADMIN });
    expect(sha256Digest(raw)).toBe(multi.indexDigest);
    expect(await expectWholeManifest('crash/multi', 'multi')).toBe(multi.indexDigest);
    await verifyStorage();
  });
});
