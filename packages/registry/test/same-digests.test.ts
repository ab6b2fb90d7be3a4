import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT, sha256Digest } from '@berth/oci';
import { skopeoCopy, skopeoInspect, writeImageLayout, writeIndexLayout } from '@berth/testkit';
import { targets, type Target } from './targets.ts';

/** The same image copied into the embedded registry and into distribution is byte-identical in both. */
describe('skopeo copy into the embedded registry and into distribution', () => {
  let embedded: Target;
  let distribution: Target;
  let work: string;
  beforeAll(async () => {
    [embedded, distribution] = await Promise.all(targets.map((f) => f.start())) as [Target, Target];
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-same-digests-'));
  });
  afterAll(async () => {
    await Promise.all([embedded?.stop(), distribution?.stop()]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const served = async (t: Target, ref: string) => {
    const res = await fetch(`${t.url}/v2/team/app/manifests/${ref}`, { headers: { accept: MANIFEST_ACCEPT } });
    expect(res.status).toBe(200);
    const head = await fetch(`${t.url}/v2/team/app/manifests/${ref}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
    expect(head.headers.get('docker-content-digest')).toBe(res.headers.get('docker-content-digest'));
    return { digest: res.headers.get('docker-content-digest'), type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };

  /** Both registries serve `ref` with the same digest, media type and bytes, and skopeo reads the same raw manifest. */
  const expectSame = async (ref: string, digest: string) => {
    const [e, d] = await Promise.all([served(embedded, ref), served(distribution, ref)]);
    expect(e.digest).toBe(digest);
    expect(d.digest).toBe(digest);
    expect(e.type).toBe(d.type);
    expect(e.body.equals(d.body)).toBe(true);
    const [ei, di] = await Promise.all([embedded, distribution].map((t) => skopeoInspect(`docker://${t.host}/team/app${ref.includes(':') ? '@' : ':'}${ref}`, { raw: true })));
    expect(ei).toBe(di);
    expect(sha256Digest(ei!)).toBe(digest);
  };

  it('gives identical digests for a single image', async () => {
    const layout = path.join(work, 'single');
    const single = await writeImageLayout(layout, { tag: 'single', layers: [{ files: { 'a.txt': 'same bytes\n' } }, { randomBytes: 300_000, seed: 'same' }], config: { os: 'linux', architecture: 'amd64' } });
    for (const t of [embedded, distribution]) await skopeoCopy(`oci:${layout}:single`, `docker://${t.host}/team/app:single`);
    // The digest is the layout's own: neither registry rewrote a byte.
    await expectSame('single', single.manifestDigest);
  });

  it('gives identical digests for a multi-arch index and each of its children (--all)', async () => {
    const layout = path.join(work, 'multi');
    const multi = await writeIndexLayout(layout, {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'arch.txt': 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'arch.txt': 'arm64' } }, { randomBytes: 100_000, seed: 'arm64' }] },
      ],
    });
    for (const t of [embedded, distribution]) await skopeoCopy(`oci:${layout}:multi`, `docker://${t.host}/team/app:multi`, { all: true });
    await expectSame('multi', multi.indexDigest);
    for (const child of multi.children) await expectSame(child.manifestDigest, child.manifestDigest);
  });
});
