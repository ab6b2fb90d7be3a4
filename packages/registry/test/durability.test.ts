import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaType, sha256Digest } from '@berth/oci';
import { startRegistry, type EmbeddedRegistry, type GcOptions } from '../src/index.ts';
import { digestOf, errorCode, getManifest, imageFixture, pushBlob, putManifest, uniqueName, withQuery, type ImageFixture, type Target } from './targets.ts';

const running: { reg: EmbeddedRegistry; root: string }[] = [];

async function start(opts: { root?: string; uploadTtlMs?: number; uploadSweepMs?: number } = {}): Promise<{ reg: EmbeddedRegistry; t: Target; root: string }> {
  const root = opts.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-dur-'));
  const reg = await startRegistry({ ...opts, root });
  running.push({ reg, root });
  return { reg, root, t: { name: 'embedded', url: reg.url, host: reg.host, caps: { v11: true }, stop: () => reg.close() } };
}

afterEach(async () => {
  for (const { reg, root } of running.splice(0)) {
    await reg.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function blobFile(root: string, digest: string): string {
  const [alg, hex] = digest.split(':') as [string, string];
  return path.join(root, 'blobs', alg, hex.slice(0, 2), hex);
}

/** Digests of every blob file on disk. */
function blobsOnDisk(root: string): Set<string> {
  const out = new Set<string>();
  const base = path.join(root, 'blobs');
  for (const alg of fs.readdirSync(base)) {
    for (const prefix of fs.readdirSync(path.join(base, alg))) {
      for (const hex of fs.readdirSync(path.join(base, alg, prefix))) out.add(`${alg}:${hex}`);
    }
  }
  return out;
}

async function readBlob(t: Target, name: string, digest: string): Promise<Buffer> {
  const res = await fetch(`${t.url}/v2/${name}/blobs/${digest}`);
  expect(res.status, `GET blob ${digest}`).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function headBlob(t: Target, name: string, digest: string): Promise<number> {
  return (await fetch(`${t.url}/v2/${name}/blobs/${digest}`, { method: 'HEAD' })).status;
}

/** Opens an upload session; returns its absolute URL. */
async function openUpload(t: Target, name: string): Promise<string> {
  const res = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  expect(res.status).toBe(202);
  return new URL(res.headers.get('location')!, t.url).toString();
}

function patch(session: string, data: Buffer, from: number, to: number): Promise<Response> {
  return fetch(session, {
    method: 'PATCH',
    headers: { 'content-type': 'application/octet-stream', 'content-range': `${from}-${to - 1}`, 'content-length': String(to - from) },
    body: data.subarray(from, to),
  });
}

function finish(t: Target, session: string, digest: string): Promise<Response> {
  return fetch(withQuery(t, session, { digest }), { method: 'PUT' });
}

/** Pushes a blob the chunked way (POST, a PATCH per chunk, PUT); returns its digest. */
async function pushChunked(t: Target, name: string, data: Buffer, chunk: number): Promise<string> {
  const session = await openUpload(t, name);
  for (let from = 0; from < data.length; from += chunk) {
    const res = await patch(session, data, from, Math.min(from + chunk, data.length));
    expect(res.status).toBe(202);
  }
  const done = await finish(t, session, digestOf(data));
  expect(done.status).toBe(201);
  return done.headers.get('docker-content-digest')!;
}

/** Waits until `check` is true, polling; fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An image manifest naming this config and these layers (already pushed). */
function manifestOf(config: Buffer, layers: Buffer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciConfig, digest: sha256Digest(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest(l), size: l.length })),
    }),
  );
}

/** The image's manifest resolves and its config and layer read back byte for byte. */
async function expectWhole(t: Target, name: string, img: ImageFixture): Promise<void> {
  const res = await getManifest(t, name, img.digest);
  expect(res.status, `manifest ${img.digest}`).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).equals(img.manifest)).toBe(true);
  for (const blob of [img.config, img.layer]) expect((await readBlob(t, name, sha256Digest(blob))).equals(blob)).toBe(true);
}

describe('embedded registry: concurrent writers', () => {
  it('takes the same blob from several clients at once, monolithic and chunked alike', async () => {
    const { t, root } = await start();
    const name = uniqueName();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const digests = await Promise.all([
      pushBlob(t, name, data),
      pushBlob(t, name, data),
      pushChunked(t, name, data, 1024 * 1024),
      pushChunked(t, name, data, 700 * 1024),
    ]);
    expect(new Set(digests)).toEqual(new Set([digestOf(data)]));
    expect((await readBlob(t, name, digestOf(data))).equals(data)).toBe(true);
    // One blob file holding exactly those bytes; no session or temp file left over.
    expect([...blobsOnDisk(root)]).toEqual([digestOf(data)]);
    expect(fs.readFileSync(blobFile(root, digestOf(data))).equals(data)).toBe(true);
    expect(fs.readdirSync(path.join(root, 'uploads'))).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('lets clients move one tag at once: every put succeeds and the tag ends on one whole manifest', async () => {
    const { t } = await start();
    const name = uniqueName();
    for (let round = 0; round < 5; round++) {
      const images = await Promise.all([0, 1, 2].map(() => imageFixture(t, name)));
      const puts = await Promise.all(images.map((img) => putManifest(t, name, 'latest', img.manifest)));
      expect(puts.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(puts.map((r) => r.headers.get('docker-content-digest'))).toEqual(images.map((i) => i.digest));

      const get = await getManifest(t, name, 'latest');
      expect(get.status).toBe(200);
      const winner = images.find((i) => i.digest === get.headers.get('docker-content-digest'));
      expect(winner, 'the tag points at one of the manifests put').toBeDefined();
      expect(Buffer.from(await get.arrayBuffer()).equals(winner!.manifest)).toBe(true);
      // Every manifest put is stored whole, whichever kept the tag.
      for (const img of images) await expectWhole(t, name, img);
    }
    const tags = (await (await fetch(`${t.url}/v2/${name}/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['latest']);
  });
});

describe('embedded registry: crash leftovers and abandoned uploads', () => {
  it('removes temp files a crash left behind at start, never serves them, and keeps what was committed', async () => {
    const first = await start();
    const name = uniqueName();
    const img = await imageFixture(first.t, name);
    expect((await putManifest(first.t, name, 'v1', img.manifest)).status).toBe(201);
    await first.reg.close();
    const committed = blobsOnDisk(first.root);

    // What a crash in the middle of writeAtomic leaves: a whole blob's bytes and a half-written manifest.
    const orphan = randomBytes(1000);
    const halfManifest = img.manifest.subarray(0, 40);
    fs.writeFileSync(path.join(first.root, 'tmp', 'a1b2.tmp'), orphan);
    fs.writeFileSync(path.join(first.root, 'tmp', 'c3d4.tmp'), halfManifest);

    const { t } = await start({ root: first.root });
    expect(fs.readdirSync(path.join(first.root, 'tmp'))).toEqual([]);
    for (const d of [digestOf(orphan), digestOf(halfManifest)]) {
      expect(await headBlob(t, name, d)).toBe(404);
      expect((await getManifest(t, name, d, 'HEAD')).status).toBe(404);
    }
    expect(blobsOnDisk(first.root)).toEqual(committed);
    await expectWhole(t, name, img);
    expect(Buffer.from(await (await getManifest(t, name, 'v1')).arrayBuffer()).equals(img.manifest)).toBe(true);
  });

  it('expires upload sessions nobody touches, and keeps active ones', async () => {
    const { t, root } = await start({ uploadTtlMs: 800, uploadSweepMs: 50 });
    const name = uniqueName();
    const abandoned = await openUpload(t, name);
    const active = await openUpload(t, name);
    const id = new URL(abandoned).pathname.split('/').pop()!;
    expect(fs.existsSync(path.join(root, 'uploads', id))).toBe(true);

    // The active client sends a small chunk every 100 ms (well inside the TTL) until the
    // sweeper has taken the abandoned session, opened at the same moment.
    const data = randomBytes(64 * 1024);
    let offset = 0;
    await until(async () => {
      const res = await patch(active, data, offset, offset + 10);
      expect(res.status).toBe(202);
      offset += 10;
      const status = await fetch(abandoned);
      await status.arrayBuffer();
      if (status.status === 404) return true;
      await new Promise((r) => setTimeout(r, 100));
      return false;
    }, 'the abandoned upload to expire');

    const gone = await fetch(abandoned);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('BLOB_UPLOAD_UNKNOWN');
    expect(fs.existsSync(path.join(root, 'uploads', id))).toBe(false);
    const late = await patch(abandoned, data, 0, 10);
    expect(late.status).toBe(404);
    expect(await errorCode(late)).toBe('BLOB_UPLOAD_UNKNOWN');

    const alive = await fetch(active);
    expect(alive.status).toBe(204);
    expect(alive.headers.get('range')).toBe(`0-${offset - 1}`);
    const done = await finish(t, active, digestOf(data.subarray(0, offset)));
    expect(done.status).toBe(201);
    expect((await readBlob(t, name, digestOf(data.subarray(0, offset)))).equals(data.subarray(0, offset))).toBe(true);
  });
});

describe('embedded registry: garbage collection', () => {
  const sweep = (reg: EmbeddedRegistry, opts: GcOptions) => reg.collectGarbage({ graceMs: 0, ...opts });

  it('frees exactly what its dry run reported, and keeps everything a tag still reaches', async () => {
    const { reg, t, root } = await start();
    const name = uniqueName();
    const other = uniqueName();
    const kept = await imageFixture(t, name);
    expect((await putManifest(t, name, 'kept', kept.manifest)).status).toBe(201);
    // An index and its child (put by digest, untagged), and a signature whose subject is the kept image.
    const child = await imageFixture(t, name);
    expect((await putManifest(t, name, child.digest, child.manifest)).status).toBe(201);
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [{ mediaType: MediaType.OciManifest, digest: child.digest, size: child.manifest.length }] }),
    );
    expect((await putManifest(t, name, 'multi', index, MediaType.OciIndex)).status).toBe(201);
    const sig = await imageFixture(t, name, {
      artifactType: 'application/vnd.example.sig',
      subject: { mediaType: MediaType.OciManifest, digest: kept.digest, size: kept.manifest.length },
    });
    expect((await putManifest(t, name, sig.digest, sig.manifest)).status).toBe(201);

    // The doomed image shares one layer with the kept image and one with an image of
    // another repository (mounted there); its own config and layer go with its manifest.
    const doomedConfig = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'arm64', n: randomBytes(4).toString('hex') }));
    const doomedLayer = randomBytes(5000);
    const shared = randomBytes(3000);
    for (const blob of [doomedConfig, doomedLayer, shared]) await pushBlob(t, name, blob);
    const doomed = manifestOf(doomedConfig, [doomedLayer, kept.layer, shared]);
    expect((await putManifest(t, name, 'doomed', doomed)).status).toBe(201);
    const mounted = await fetch(`${t.url}/v2/${other}/blobs/uploads/?mount=${sha256Digest(shared)}&from=${name}`, { method: 'POST' });
    expect(mounted.status).toBe(201);
    const otherConfig = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', other: true }));
    await pushBlob(t, other, otherConfig);
    expect((await putManifest(t, other, 'v1', manifestOf(otherConfig, [shared]))).status).toBe(201);

    expect((await fetch(`${t.url}/v2/${name}/manifests/${sha256Digest(doomed)}`, { method: 'DELETE' })).status).toBe(202);
    const garbage = [sha256Digest(doomed), sha256Digest(doomedConfig), sha256Digest(doomedLayer)];
    const before = blobsOnDisk(root);
    for (const d of garbage) expect(before.has(d)).toBe(true);

    const dry = await sweep(reg, { dryRun: true, untagged: 'delete' });
    expect(dry).toMatchObject({ dryRun: true, manifests: 0, blobs: 3, bytes: doomed.length + doomedConfig.length + doomedLayer.length, uploads: 0 });
    expect(blobsOnDisk(root)).toEqual(before);

    const real = await sweep(reg, { dryRun: false, untagged: 'delete' });
    expect({ ...real, dryRun: true }).toEqual(dry);
    expect(blobsOnDisk(root)).toEqual(new Set([...before].filter((d) => !garbage.includes(d))));
    expect(await sweep(reg, { dryRun: true, untagged: 'delete' })).toMatchObject({ manifests: 0, blobs: 0, bytes: 0, links: 0 });

    for (const img of [kept, child, sig]) await expectWhole(t, name, img);
    expect((await getManifest(t, name, 'multi')).status).toBe(200);
    expect((await readBlob(t, other, sha256Digest(shared))).equals(shared)).toBe(true);
    expect((await getManifest(t, other, 'v1')).status).toBe(200);
    for (const d of garbage) expect(await headBlob(t, name, d)).toBe(404);
    const referrers = (await (await fetch(`${t.url}/v2/${name}/referrers/${kept.digest}`)).json()) as { manifests: { digest: string }[] };
    expect(referrers.manifests.map((m) => m.digest)).toEqual([sig.digest]);
  });

  it('keeps an untagged manifest with untagged: keep, and sweeps it with untagged: delete', async () => {
    const { reg, t, root } = await start();
    const name = uniqueName();
    const old = await imageFixture(t, name);
    const current = await imageFixture(t, name);
    // Moving the tag leaves the old artifact untagged.
    expect((await putManifest(t, name, 'v1', old.manifest)).status).toBe(201);
    expect((await putManifest(t, name, 'v1', current.manifest)).status).toBe(201);

    expect(await sweep(reg, { untagged: 'keep' })).toMatchObject({ manifests: 0, blobs: 0 });
    await expectWhole(t, name, old);

    const dry = await sweep(reg, { dryRun: true, untagged: 'delete' });
    expect(dry).toMatchObject({ manifests: 1, blobs: 3, bytes: old.manifest.length + old.config.length + old.layer.length });
    expect({ ...(await sweep(reg, { untagged: 'delete' })), dryRun: true }).toEqual(dry);
    expect((await getManifest(t, name, old.digest, 'HEAD')).status).toBe(404);
    for (const d of [old.digest, sha256Digest(old.config), sha256Digest(old.layer)]) expect(fs.existsSync(blobFile(root, d))).toBe(false);
    await expectWhole(t, name, current);
    expect((await getManifest(t, name, 'v1')).headers.get('docker-content-digest')).toBe(current.digest);
  });

  it('keeps blobs and upload sessions younger than the grace period, even when nothing refers to them', async () => {
    const { reg, t, root } = await start();
    const name = uniqueName();
    const loose = randomBytes(4096);
    await pushBlob(t, name, loose);
    const partial = randomBytes(2048);
    const session = await openUpload(t, name);
    expect((await patch(session, partial, 0, 1024)).status).toBe(202);

    const young = await reg.collectGarbage({ graceMs: 60_000, untagged: 'delete' });
    expect(young).toMatchObject({ blobs: 0, links: 0, uploads: 0 });
    expect((await readBlob(t, name, digestOf(loose))).equals(loose)).toBe(true);
    expect((await patch(session, partial, 1024, 2048)).status).toBe(202);
    expect((await finish(t, session, digestOf(partial))).status).toBe(201);

    // With no grace period the same content is garbage: nothing refers to it.
    const aborted = await openUpload(t, name);
    expect((await patch(aborted, partial, 0, 100)).status).toBe(202);
    const none = await sweep(reg, { untagged: 'delete' });
    expect(none).toMatchObject({ blobs: 2, bytes: loose.length + partial.length, links: 2, uploads: 1, uploadBytes: 100 });
    expect(blobsOnDisk(root).size).toBe(0);
    expect(await headBlob(t, name, digestOf(loose))).toBe(404);
    expect((await fetch(aborted)).status).toBe(404);
  });

  it('keeps a blob just mounted into a new repository, though its source stopped referring to it long ago', async () => {
    const { reg, t, root } = await start();
    const source = uniqueName();
    const target = uniqueName();
    const old = await imageFixture(t, source);
    expect((await putManifest(t, source, 'v1', old.manifest)).status).toBe(201);
    expect((await fetch(`${t.url}/v2/${source}/manifests/${old.digest}`, { method: 'DELETE' })).status).toBe(202);
    // Two hours pass: the source's blobs and links are old and unreferenced.
    const past = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const dir of [path.join(root, 'blobs'), path.join(root, 'repositories')]) {
      for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), past, past);
      }
    }
    // A push to a new repository mounts the layer and uploads a config; then GC runs
    // (default grace period, one hour) before the push puts its manifest.
    const mount = await fetch(`${t.url}/v2/${target}/blobs/uploads/?mount=${sha256Digest(old.layer)}&from=${source}`, { method: 'POST' });
    expect(mount.status).toBe(201);
    const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', target }));
    await pushBlob(t, target, config);
    const report = await reg.collectGarbage({ untagged: 'delete' });
    // The source's manifest and config are garbage; the mounted layer is not.
    expect(report).toMatchObject({ blobs: 2, bytes: old.manifest.length + old.config.length });
    const put = await putManifest(t, target, 'v1', manifestOf(config, [old.layer]));
    expect(put.status).toBe(201);
    expect((await readBlob(t, target, sha256Digest(old.layer))).equals(old.layer)).toBe(true);
  });

  it('loses nothing of a push in flight while it collects with a grace period', async () => {
    const { reg, t } = await start();
    const name = uniqueName();
    for (let round = 0; round < 5; round++) {
      // Config uploaded; the layer half uploaded; the manifest not put yet.
      const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', round, n: randomBytes(4).toString('hex') }));
      const layer = randomBytes(2 * 1024 * 1024);
      await pushBlob(t, name, config);
      const session = await openUpload(t, name);
      expect((await patch(session, layer, 0, layer.length / 2)).status).toBe(202);

      const manifest = manifestOf(config, [layer]);
      const push = async () => {
        const rest = await patch(session, layer, layer.length / 2, layer.length);
        const done = await finish(t, session, digestOf(layer));
        const put = await putManifest(t, name, `v${round}`, manifest);
        return [rest.status, done.status, put.status];
      };
      const [report, statuses] = await Promise.all([reg.collectGarbage({ graceMs: 60_000, untagged: 'delete' }), push()]);
      expect(statuses).toEqual([202, 201, 201]);
      expect(report).toMatchObject({ manifests: 0, blobs: 0, links: 0, uploads: 0 });
      expect((await readBlob(t, name, digestOf(config))).equals(config)).toBe(true);
      expect((await readBlob(t, name, digestOf(layer))).equals(layer)).toBe(true);
      expect((await getManifest(t, name, `v${round}`)).headers.get('docker-content-digest')).toBe(sha256Digest(manifest));
    }
  });

  // graceMs: 0 cannot protect a push in flight: its uploaded blobs are referred to by
  // nothing until the manifest is put, so they are garbage. What the commit lock does
  // guarantee is that the push then fails cleanly and no manifest is ever stored without
  // its blobs; the client's retry re-uploads and succeeds.
  it('with no grace period may take a push in flight, but never stores a manifest without its blobs', async () => {
    const { reg, t } = await start();
    const name = uniqueName();
    const taken = await imageFixture(t, name);
    const session = await openUpload(t, name);
    expect((await sweep(reg, { untagged: 'delete' })).blobs).toBe(2);
    const refused = await putManifest(t, name, 'taken', taken.manifest);
    expect(refused.status).toBe(400);
    expect(await errorCode(refused)).toBe('MANIFEST_BLOB_UNKNOWN');
    expect((await getManifest(t, name, 'taken', 'HEAD')).status).toBe(404);
    expect((await fetch(session)).status).toBe(404);

    for (let i = 0; i < 8; i++) {
      const racing = await imageFixture(t, name);
      const [, res] = await Promise.all([sweep(reg, { untagged: 'delete' }), putManifest(t, name, `race${i}`, racing.manifest)]);
      if (res.status === 201) {
        await expectWhole(t, name, racing);
      } else {
        expect(res.status).toBe(400);
        expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
        expect((await getManifest(t, name, `race${i}`, 'HEAD')).status).toBe(404);
        // The retry pushes the blobs again and gets the same digest.
        await pushBlob(t, name, racing.config);
        await pushBlob(t, name, racing.layer);
        const again = await putManifest(t, name, `race${i}`, racing.manifest);
        expect(again.status).toBe(201);
        expect(again.headers.get('docker-content-digest')).toBe(racing.digest);
        await expectWhole(t, name, racing);
      }
    }
  });
});
