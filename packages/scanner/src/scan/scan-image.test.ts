import { buildTar, type TarEntry } from '@berth/testkit';
import { describe, expect, it } from 'vitest';
import { chunked, digestOf, gzip, osReleaseAnalyzer, versionFileAnalyzer, zstdCompress } from '../layers/test-support.ts';
import type { Inventory } from '../types.ts';
import { scanImage, type LayerDescriptor, type ScanProgress } from './scan-image.ts';

const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const TAR = 'application/vnd.oci.image.layer.v1.tar';

interface Blob extends LayerDescriptor {
  bytes: Buffer;
}
function layer(files: Record<string, TarEntry>, mediaType: string): Blob {
  const tar = buildTar(files);
  const bytes = mediaType === GZIP ? gzip(tar) : mediaType === ZSTD ? zstdCompress(tar) : tar;
  return { digest: digestOf(bytes), mediaType, size: bytes.length, bytes };
}

const analyzers = [osReleaseAnalyzer(), versionFileAnalyzer('.version')];
const versions = (inv: Inventory) => inv.packages.map((p) => `${p.path}=${p.version}@${p.layer.slice(7, 11)}`);

function scan(blobs: Blob[], extra: Partial<Parameters<typeof scanImage>[0]> = {}) {
  return scanImage({ layers: blobs, open: async (l) => chunked(blobs.find((b) => b.digest === l.digest)!.bytes, 8192), analyzers, ...extra });
}

describe('scanImage', () => {
  // gzip, then zstd, then plain tar: each layer changes what the ones below left.
  const base = layer(
    {
      'etc/os-release': 'ID=debian\nVERSION_ID="11"\n',
      'usr/lib/os-release': 'ID=otheros\n',
      'app/replaced.version': '1',
      'app/kept.version': '1',
      'opt/old.version': '1',
      'opt/sub/old.version': '1',
      'var/gone/deep/y.version': '1',
      'var/gone-not.version': '1',
    },
    GZIP,
  );
  const middle = layer(
    {
      'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
      'app/replaced.version': '2',
      'var/.wh.gone': '',
      'opt/.wh..wh..opq': '',
      'opt/new.version': '2',
    },
    ZSTD,
  );
  const top = layer({ 'var/gone/again.version': '3', 'app/.wh.kept.version': '', 'app/replaced.version': { symlink: 'elsewhere' }, 'app/z.version': '3' }, TAR);

  it('merges three layers in order: replacements, whiteouts, opaque directories', async () => {
    const inv = await scan([base, middle, top]);
    const id = (b: Blob) => b.digest.slice(7, 11);
    expect(versions(inv)).toEqual([
      `app/z.version=3@${id(top)}`,
      `opt/new.version=2@${id(middle)}`,
      `var/gone-not.version=1@${id(base)}`,
      `var/gone/again.version=3@${id(top)}`,
    ]);
    expect(inv.os).toMatchObject({ id: 'debian', versionId: '12' });
  });

  it('keeps layer order when a lower layer finishes last', async () => {
    const slowFirst = async (l: LayerDescriptor) => {
      if (l.digest === base.digest) await new Promise((r) => setTimeout(r, 100));
      return chunked([base, middle, top].find((b) => b.digest === l.digest)!.bytes);
    };
    const inv = await scanImage({ layers: [base, middle, top], open: slowFirst, analyzers, concurrency: 3 });
    expect(inv.packages.map((p) => `${p.path}=${p.version}`)).toEqual(['app/z.version=3', 'opt/new.version=2', 'var/gone-not.version=1', 'var/gone/again.version=3']);
  });

  it('reads the OS from usr/lib/os-release when etc/os-release is not there', async () => {
    const inv = await scan([layer({ 'usr/lib/os-release': 'ID=alpine\nVERSION_ID=3.19.1\n' }, GZIP)]);
    expect(inv.os).toMatchObject({ id: 'alpine', versionId: '3.19.1' });
    expect((await scan([layer({ 'app/a.version': '1' }, GZIP)])).os).toBeNull();
  });

  it('reports progress up to every byte of every layer', async () => {
    const seen: ScanProgress[] = [];
    await scan([base, middle, top], { onProgress: (p) => seen.push(p) });
    const total = base.size + middle.size + top.size;
    expect(seen.at(-1)).toEqual({ layersDone: 3, layers: 3, bytesRead: total, bytesTotal: total });
  });

  it('fails when a layer does not match its digest', async () => {
    const tampered = { ...middle, bytes: zstdCompress(buildTar({ 'etc/os-release': 'ID=evil\n' })) };
    await expect(scan([base, tampered])).rejects.toThrow(`layer ${middle.digest} is corrupt: its content hashes to ${digestOf(tampered.bytes)}`);
  });

  it('fails on a corrupt gzip layer, naming the layer', async () => {
    const bytes = Buffer.from(base.bytes);
    bytes.fill(0, 30, 400);
    const corrupt = { ...base, bytes, digest: digestOf(bytes) };
    await expect(scan([corrupt])).rejects.toThrow(new RegExp(`^layer ${corrupt.digest}: gzip: `));
  });

  it('notes a blob that is not a filesystem layer instead of reading it', async () => {
    const sbom = { digest: digestOf(Buffer.from('{}')), mediaType: 'application/spdx+json', size: 2, bytes: Buffer.from('{}') };
    const inv = await scan([base, sbom]);
    expect(inv.notes).toEqual([{ path: '', layer: sbom.digest, message: 'not read: application/spdx+json is not a filesystem layer' }]);
    expect(inv.packages).toHaveLength(6);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('scan cancelled'));
    await expect(scan([base], { signal: ac.signal })).rejects.toThrow('scan cancelled');
    const later = new AbortController();
    const endless = async function* () {
      yield base.bytes.subarray(0, 100);
      later.abort(new Error('cancelled midway'));
      yield base.bytes.subarray(100);
    };
    await expect(scanImage({ layers: [base], open: async () => endless(), analyzers, signal: later.signal })).rejects.toThrow('cancelled midway');
  });

  it('releases the download of a layer when its content fails early', async () => {
    let released = false;
    // A gzip header, then garbage that never ends: gunzip fails, and the download must stop.
    const download = async function* () {
      try {
        yield base.bytes.subarray(0, 10);
        for (;;) yield Buffer.alloc(65536, 0xff);
      } finally {
        released = true;
      }
    };
    await expect(scanImage({ layers: [base], open: async () => download(), analyzers })).rejects.toThrow(/gzip: /);
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(true);
  });
});
