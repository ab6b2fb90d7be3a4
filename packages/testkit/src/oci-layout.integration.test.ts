import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoInspect } from './clients.ts';
import { OCI_MEDIA_TYPES, REF_NAME_ANNOTATION, readBlob, writeImageLayout, writeIndexLayout } from './oci-layout.ts';
import { tempDir, type TempDir } from './ports.ts';

const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('OCI image layouts', () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await tempDir('layout-test');
  });
  afterAll(() => dir.cleanup());

  it('writes a single-platform image with stable digests and a valid layout', async () => {
    const spec = {
      tag: 'v1',
      layers: [{ files: { 'etc/os-release': 'ID=debian\n', 'app/run.sh': { content: 'echo hi\n', mode: 0o755 } } }, { randomBytes: 4096, seed: 's' }],
      config: { os: 'linux', architecture: 'arm64', variant: 'v8', env: ['A=1'], cmd: ['/app/run.sh'], labels: { team: 'x' } },
    };
    const a = await writeImageLayout(join(dir.path, 'a'), spec);
    const b = await writeImageLayout(join(dir.path, 'b'), spec);
    expect(b.manifestDigest).toBe(a.manifestDigest);
    expect(a.layerDigests).toHaveLength(2);
    expect(a.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });

    const root = join(dir.path, 'a');
    expect(JSON.parse(readFileSync(join(root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { manifests: { digest: string; mediaType: string; annotations: Record<string, string> }[] };
    expect(index.manifests).toEqual([{ mediaType: OCI_MEDIA_TYPES.manifest, digest: a.manifestDigest, size: a.manifestSize, annotations: { [REF_NAME_ANNOTATION]: 'v1' } }]);
    // Every blob is stored under its own digest.
    for (const hex of readdirSync(join(root, 'blobs', 'sha256'))) {
      expect(sha256(readFileSync(join(root, 'blobs', 'sha256', hex)))).toBe(`sha256:${hex}`);
    }
    const manifest = JSON.parse((await readBlob(root, a.manifestDigest)).toString()) as { layers: { mediaType: string; size: number }[] };
    expect(a.manifestJson).toBe((await readBlob(root, a.manifestDigest)).toString());
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([OCI_MEDIA_TYPES.layerGzip, OCI_MEDIA_TYPES.layerTar]);
    const config = JSON.parse((await readBlob(root, a.configDigest)).toString()) as {
      architecture: string;
      variant: string;
      config: { Env: string[]; Cmd: string[]; Labels: Record<string, string> };
      rootfs: { diff_ids: string[] };
    };
    expect(config).toMatchObject({ architecture: 'arm64', variant: 'v8', config: { Env: ['A=1'], Cmd: ['/app/run.sh'], Labels: { team: 'x' } } });
    // diff_ids are digests of the uncompressed tars.
    const gz = await readBlob(root, a.layerDigests[0]!);
    expect(config.rootfs.diff_ids[0]).toBe(sha256(gunzipSync(gz)));
    expect(config.rootfs.diff_ids[1]).toBe(a.layerDigests[1]);
    expect(a.totalSize).toBe(a.manifestSize + a.configSize + a.layers.reduce((s, l) => s + l.size, 0));
    // The random layer is a tar: header + data padded to 512 + two end blocks.
    expect(a.layers[1]!.size).toBe(512 + 4096 + 1024);

    // skopeo reads the layout and agrees on the digest.
    const raw = await skopeoInspect(`oci:${root}:v1`, { raw: true });
    expect(sha256(Buffer.from(raw))).toBe(a.manifestDigest);
  });

  it('keeps other tags in the same layout and replaces a re-written tag', async () => {
    const root = join(dir.path, 'multi-tag');
    const one = await writeImageLayout(root, { tag: 'one', layers: [{ files: { f: '1' } }] });
    await writeImageLayout(root, { tag: 'two', layers: [{ files: { f: '2' } }] });
    const two = await writeImageLayout(root, { tag: 'two', layers: [{ files: { f: '2b' } }] });
    const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(index.manifests.map((m) => [m.annotations[REF_NAME_ANNOTATION], m.digest])).toEqual([
      ['one', one.manifestDigest],
      ['two', two.manifestDigest],
    ]);
  });

  it('random layers without a seed differ; with the same seed they match', async () => {
    const root = join(dir.path, 'random');
    const x = await writeImageLayout(root, { tag: 'x', layers: [{ randomBytes: 1000 }] });
    const y = await writeImageLayout(root, { tag: 'y', layers: [{ randomBytes: 1000 }] });
    const z = await writeImageLayout(root, { tag: 'z', layers: [{ randomBytes: 1000, seed: 'k' }] });
    const w = await writeImageLayout(root, { tag: 'w', layers: [{ randomBytes: 1000, seed: 'k' }] });
    expect(x.layerDigests[0]).not.toBe(y.layerDigests[0]);
    expect(z.layerDigests[0]).toBe(w.layerDigests[0]);
  });

  it('streams a large random layer to disk', async () => {
    const root = join(dir.path, 'big');
    await writeImageLayout(root, { tag: 'warm-up', layers: [{ randomBytes: 4 * 1024 * 1024 }] });
    const size = 128 * 1024 * 1024;
    const before = process.memoryUsage().rss;
    const img = await writeImageLayout(root, { tag: 'big', layers: [{ randomBytes: size, seed: 'big' }] });
    // Holding the blob would grow RSS by its whole size; streaming leaves only GC slack.
    expect(process.memoryUsage().rss - before).toBeLessThan(size / 2);
    expect(img.layers[0]!.size).toBe(512 + size + 1024);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(join(root, 'blobs', 'sha256', img.layerDigests[0]!.slice(7)))) hash.update(chunk as Buffer);
    expect(`sha256:${hash.digest('hex')}`).toBe(img.layerDigests[0]);
  });

  it('writes a multi-platform index whose children carry their platforms', async () => {
    const root = join(dir.path, 'index');
    const idx = await writeIndexLayout(root, {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { arch: 'amd64' } }, { files: { shared: 'same' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { arch: 'arm64' } }, { files: { shared: 'same' } }] },
      ],
      annotations: { 'org.opencontainers.image.source': 'testkit' },
    });
    expect(idx.children.map((c) => c.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    const index = JSON.parse((await readBlob(root, idx.indexDigest)).toString()) as { mediaType: string; manifests: { digest: string; platform: unknown }[] };
    expect(index.mediaType).toBe(OCI_MEDIA_TYPES.index);
    expect(index.manifests.map((m) => m.digest)).toEqual(idx.children.map((c) => c.manifestDigest));
    const shared = idx.children[0]!.layers[1]!;
    expect(idx.children[1]!.layers[1]!.digest).toBe(shared.digest);
    const distinct = idx.children.reduce((s, c) => s + c.totalSize, 0) - shared.size;
    expect(idx.totalSize).toBe(idx.indexSize + distinct);
    const raw = await skopeoInspect(`oci:${root}:multi`, { raw: true });
    expect(sha256(Buffer.from(raw))).toBe(idx.indexDigest);
  });
});
