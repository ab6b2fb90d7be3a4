import { buildTar } from '@berth/testkit';
import { describe, expect, it } from 'vitest';
import { isLayerMediaType, layerCompression, openLayerTar } from './decompress.ts';
import { chunked, gzip, zstdCompress } from './test-support.ts';

const tar = buildTar({ 'etc/os-release': 'ID=debian\n', 'usr/share/big.txt': 'lorem ipsum '.repeat(50_000) });

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('layer media types', () => {
  it('knows OCI, Docker and non-distributable layers and nothing else', () => {
    expect(layerCompression('application/vnd.oci.image.layer.v1.tar')).toBe('none');
    expect(layerCompression('application/vnd.oci.image.layer.v1.tar+gzip')).toBe('gzip');
    expect(layerCompression('application/vnd.oci.image.layer.v1.tar+zstd')).toBe('zstd');
    expect(layerCompression('application/vnd.docker.image.rootfs.diff.tar.gzip')).toBe('gzip');
    expect(layerCompression('application/vnd.oci.image.layer.nondistributable.v1.tar+zstd')).toBe('zstd');
    expect(isLayerMediaType('application/vnd.cncf.helm.chart.content.v1.tar+gzip')).toBe(false);
    expect(isLayerMediaType('application/vnd.dev.cosign.simplesigning.v1+json')).toBe(false);
    expect(isLayerMediaType('application/spdx+json')).toBe(false);
  });
});

describe('openLayerTar', () => {
  it.each([
    ['gzip', gzip(tar), 'application/vnd.oci.image.layer.v1.tar+gzip'],
    ['zstd', zstdCompress(tar), 'application/vnd.oci.image.layer.v1.tar+zstd'],
    ['none', tar, 'application/vnd.oci.image.layer.v1.tar'],
  ] as const)('gives back the tar of a %s layer, read in small chunks', async (compression, blob, mediaType) => {
    const opened = await openLayerTar(chunked(blob, 3), mediaType);
    expect(opened.compression).toBe(compression);
    expect((await readAll(opened.tar)).equals(tar)).toBe(true);
  });

  it('trusts the first bytes over a wrong media type', async () => {
    const asTar = await openLayerTar(chunked(zstdCompress(tar)), 'application/vnd.oci.image.layer.v1.tar');
    expect(asTar.compression).toBe('zstd');
    expect((await readAll(asTar.tar)).equals(tar)).toBe(true);
    const plainAsGzip = await openLayerTar(chunked(tar), 'application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(plainAsGzip.compression).toBe('none');
    expect((await readAll(plainAsGzip.tar)).equals(tar)).toBe(true);
  });

  it('fails a corrupt gzip stream with an error that says gzip', async () => {
    const blob = gzip(tar);
    blob.fill(0x55, 20, 200);
    const opened = await openLayerTar(chunked(blob));
    await expect(readAll(opened.tar)).rejects.toThrow(/^gzip: /);
  });

  it('fails a truncated gzip or zstd stream instead of ending quietly', async () => {
    const gz = gzip(tar);
    await expect(readAll((await openLayerTar(chunked(gz.subarray(0, gz.length - 100)))).tar)).rejects.toThrow(/gzip: unexpected end/);
    const zs = zstdCompress(tar);
    await expect(readAll((await openLayerTar(chunked(zs.subarray(0, zs.length - 100)))).tar)).rejects.toThrow(/zstd/);
  });

  it('passes an error of the download through', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield gzip(tar).subarray(0, 1000);
      throw new Error('connection reset');
    }
    await expect(readAll((await openLayerTar(broken())).tar)).rejects.toThrow('connection reset');
  });
});
