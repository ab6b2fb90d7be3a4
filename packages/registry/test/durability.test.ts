import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaType, sha256Digest } from '@berth/oci';
import { startRegistry, type EmbeddedRegistry } from '../src/index.ts';
import { digestOf, errorCode, getManifest, imageFixture, pushBlob, putManifest, uniqueName, type Target } from './targets.ts';

const running: { reg: EmbeddedRegistry; root: string }[] = [];

async function start(opts: { root?: string; uploadTtlMs?: number; uploadSweepMs?: number } = {}): Promise<{ reg: EmbeddedRegistry; t: Target; root: string }> {
  const root = opts.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-dur-'));
  const reg = await startRegistry({ root, ...opts });
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

describe('embedded registry: concurrent writers', () => {
  it('takes the same blob from two clients at once', async () => {
    const { t, root } = await start();
    const name = uniqueName();
    const data = randomBytes(3 * 1024 * 1024);
    const [a, b] = await Promise.all([pushBlob(t, name, data), pushBlob(t, name, data)]);
    expect(a).toBe(b);
    const back = Buffer.from(await (await fetch(`${t.url}/v2/${name}/blobs/${a}`)).arrayBuffer());
    expect(digestOf(back)).toBe(a);
    expect(digestOf(fs.readFileSync(blobFile(root, a)))).toBe(a);
  });

  it('lets two clients move one tag at once: both succeed and the tag ends on one whole manifest', async () => {
    const { t } = await start();
    const name = uniqueName();
    const one = await imageFixture(t, name);
    const two = await imageFixture(t, name);
    const [r1, r2] = await Promise.all([putManifest(t, name, 'latest', one.manifest), putManifest(t, name, 'latest', two.manifest)]);
    expect([r1.status, r2.status]).toEqual([201, 201]);
    const get = await getManifest(t, name, 'latest');
    const digest = get.headers.get('docker-content-digest');
    expect([one.digest, two.digest]).toContain(digest);
    const body = JSON.parse(Buffer.from(await get.arrayBuffer()).toString()) as { config: { digest: string }; layers: { digest: string }[] };
    for (const d of [body.config.digest, ...body.layers.map((l) => l.digest)]) {
      expect((await fetch(`${t.url}/v2/${name}/blobs/${d}`, { method: 'HEAD' })).status).toBe(200);
    }
  });
});

describe('embedded registry: crash leftovers and abandoned uploads', () => {
  it('removes temp files a crash left behind, and never serves them', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-dur-'));
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    const partial = randomBytes(1000);
    fs.writeFileSync(path.join(root, 'tmp', 'abc.tmp'), partial);
    const { t } = await start({ root });
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
    const head = await fetch(`${t.url}/v2/${uniqueName()}/blobs/${digestOf(partial)}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('expires upload sessions nobody touches, and keeps active ones', async () => {
    const { t, root } = await start({ uploadTtlMs: 400, uploadSweepMs: 100 });
    const name = uniqueName();
    const open = async () => new URL((await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' })).headers.get('location')!, t.url);
    const abandoned = await open();
    const active = await open();
    const id = abandoned.pathname.split('/').pop()!;
    expect(fs.existsSync(path.join(root, 'uploads', id))).toBe(true);
    // Keep one session busy with small chunks while the other ages past its TTL.
    let offset = 0;
    const until = Date.now() + 1200;
    while (Date.now() < until) {
      const chunk = randomBytes(10);
      const res = await fetch(active, { method: 'PATCH', headers: { 'content-range': `${offset}-${offset + 9}` }, body: chunk });
      expect(res.status).toBe(202);
      offset += 10;
      await new Promise((r) => setTimeout(r, 100));
    }
    const gone = await fetch(abandoned);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('BLOB_UPLOAD_UNKNOWN');
    expect(fs.existsSync(path.join(root, 'uploads', id))).toBe(false);
    const alive = await fetch(active);
    expect(alive.status).toBe(204);
    expect(alive.headers.get('range')).toBe(`0-${offset - 1}`);
  });
});

describe('embedded registry: garbage collection', () => {
  it('frees exactly what its dry run reported, and keeps everything a tag still reaches', async () => {
    const { reg, t, root } = await start();
    const name = uniqueName();
    const kept = await imageFixture(t, name);
    expect((await putManifest(t, name, 'kept', kept.manifest)).status).toBe(201);
    // An index and its children, and a signature whose subject is the kept image.
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
    // Gone: a tag's manifest deleted, its config and layer now unreferenced.
    const doomed = await imageFixture(t, name);
    expect((await putManifest(t, name, 'doomed', doomed.manifest)).status).toBe(201);
    expect((await fetch(`${t.url}/v2/${name}/manifests/${doomed.digest}`, { method: 'DELETE' })).status).toBe(202);

    const dry = await reg.collectGarbage({ dryRun: true, graceMs: 0, untagged: 'delete' });
    expect(dry).toMatchObject({ dryRun: true, blobs: 3 });
    expect(dry.bytes).toBe(doomed.manifest.length + doomed.config.length + doomed.layer.length);
    for (const d of [doomed.digest, sha256Digest(doomed.config), sha256Digest(doomed.layer)]) expect(fs.existsSync(blobFile(root, d))).toBe(true);

    const real = await reg.collectGarbage({ dryRun: false, graceMs: 0, untagged: 'delete' });
    expect({ ...real, dryRun: true }).toEqual(dry);
    for (const d of [doomed.digest, sha256Digest(doomed.config), sha256Digest(doomed.layer)]) expect(fs.existsSync(blobFile(root, d))).toBe(false);
    for (const img of [kept, child, sig]) {
      expect((await getManifest(t, name, img.digest, 'HEAD')).status).toBe(200);
      for (const blob of [img.config, img.layer]) {
        const back = Buffer.from(await (await fetch(`${t.url}/v2/${name}/blobs/${sha256Digest(blob)}`)).arrayBuffer());
        expect(back.equals(blob)).toBe(true);
      }
    }
    const referrers = (await (await fetch(`${t.url}/v2/${name}/referrers/${kept.digest}`)).json()) as { manifests: { digest: string }[] };
    expect(referrers.manifests.map((m) => m.digest)).toEqual([sig.digest]);
  });

  it('keeps untagged manifests unless asked to sweep them, and keeps young content whatever refers to it', async () => {
    const { reg, t } = await start();
    const name = uniqueName();
    const untagged = await imageFixture(t, name);
    expect((await putManifest(t, name, untagged.digest, untagged.manifest)).status).toBe(201);

    // Young (within the grace period): kept, even when untagged and swept.
    const young = await reg.collectGarbage({ dryRun: false, untagged: 'delete', graceMs: 60_000 });
    expect(young).toMatchObject({ manifests: 0, blobs: 0 });
    const keep = await reg.collectGarbage({ dryRun: false, untagged: 'keep', graceMs: 0 });
    expect(keep).toMatchObject({ manifests: 0, blobs: 0 });
    expect((await getManifest(t, name, untagged.digest, 'HEAD')).status).toBe(200);

    const swept = await reg.collectGarbage({ dryRun: false, untagged: 'delete', graceMs: 0 });
    expect(swept).toMatchObject({ manifests: 1, blobs: 3 });
    expect((await getManifest(t, name, untagged.digest, 'HEAD')).status).toBe(404);
  });

  it('loses nothing of a push that runs while it collects, and never stores a manifest whose blobs it swept', async () => {
    const { reg, t } = await start();
    const name = uniqueName();
    // Blobs uploaded, manifest not put yet: the grace period keeps them.
    const inFlight = await imageFixture(t, name);
    const [report, put] = await Promise.all([
      reg.collectGarbage({ dryRun: false, graceMs: 60_000, untagged: 'delete' }),
      putManifest(t, name, 'v1', inFlight.manifest),
    ]);
    expect(put.status).toBe(201);
    expect(report.blobs).toBe(0);
    for (const blob of [inFlight.config, inFlight.layer]) {
      const back = Buffer.from(await (await fetch(`${t.url}/v2/${name}/blobs/${sha256Digest(blob)}`)).arrayBuffer());
      expect(back.equals(blob)).toBe(true);
    }

    // With no grace period the same race may sweep the unreferenced blobs first; then
    // the manifest is refused cleanly. Either way a stored manifest has all its blobs.
    for (let i = 0; i < 5; i++) {
      const racing = await imageFixture(t, name);
      const [, res] = await Promise.all([reg.collectGarbage({ dryRun: false, graceMs: 0, untagged: 'delete' }), putManifest(t, name, `race${i}`, racing.manifest)]);
      if (res.status === 201) {
        for (const blob of [racing.config, racing.layer]) {
          expect((await fetch(`${t.url}/v2/${name}/blobs/${sha256Digest(blob)}`, { method: 'HEAD' })).status).toBe(200);
        }
      } else {
        expect(res.status).toBe(400);
        expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
        expect((await getManifest(t, name, `race${i}`, 'HEAD')).status).toBe(404);
      }
    }
  });
});
