import { MediaType, RegistryClient } from '@berth/oci';
import { startRegistry, type EmbeddedRegistry } from '@berth/registry';
import { buildTar, tempDir, type TempDir } from '@berth/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzip, osReleaseAnalyzer, versionFileAnalyzer, zstdCompress } from '../layers/test-support.ts';
import { scanArtifact } from './scan-artifact.ts';
import { UnsupportedArtifactError } from './errors.ts';

// A real embedded registry, with credentials: every manifest, config and layer goes over
// HTTP as it would from any registry.
let dir: TempDir;
let registry: EmbeddedRegistry;
let client: RegistryClient;
const credentials = { username: 'scanner', password: 'scanner-test-password' };
const REPO = 'team/app';
const analyzers = [osReleaseAnalyzer(), versionFileAnalyzer('.version')];

let pushed = 0;
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

async function push(mediaType: string, bytes: Uint8Array) {
  return { mediaType, digest: await client.pushBlob(REPO, bytes), size: bytes.length };
}

async function pushImage(opts: { manifestType: string; configType: string; config: object; layers: { mediaType: string; bytes: Uint8Array }[]; artifactType?: string }) {
  const config = await push(opts.configType, json(opts.config));
  const layers = [];
  for (const l of opts.layers) layers.push(await push(l.mediaType, l.bytes));
  const body = json({ schemaVersion: 2, mediaType: opts.manifestType, ...(opts.artifactType ? { artifactType: opts.artifactType } : {}), config, layers });
  const digest = await client.putManifest(REPO, `image-${++pushed}`, body, opts.manifestType);
  return { mediaType: opts.manifestType, digest, size: body.length };
}

beforeAll(async () => {
  dir = await tempDir('scan-artifact');
  registry = await startRegistry({ root: dir.path, credentials });
  client = new RegistryClient(registry.url, credentials);
});
afterAll(async () => {
  await registry?.close();
  await dir?.cleanup();
});

describe('scanArtifact', () => {
  it('scans each platform of a multi-arch index and leaves out attestation manifests', async () => {
    const amd64 = await pushImage({
      manifestType: MediaType.OciManifest,
      configType: MediaType.OciConfig,
      config: { os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', bytes: gzip(buildTar({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'app/a.version': '1.0' })) },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', bytes: gzip(buildTar({ 'app/.wh.a.version': '', 'app/b.version': '2.0' })) },
      ],
    });
    const arm64 = await pushImage({
      manifestType: MediaType.OciManifest,
      configType: MediaType.OciConfig,
      config: { os: 'linux', architecture: 'arm64', variant: 'v8', rootfs: { type: 'layers', diff_ids: [] } },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', bytes: zstdCompress(buildTar({ 'etc/os-release': 'ID=alpine\nVERSION_ID=3.20.0\n', 'app/a.version': '1.1' })) }],
    });
    const attestation = await pushImage({
      manifestType: MediaType.OciManifest,
      configType: MediaType.OciConfig,
      config: { architecture: 'unknown', os: 'unknown', rootfs: { type: 'layers', diff_ids: [] } },
      layers: [{ mediaType: 'application/vnd.in-toto+json', bytes: json({ _type: 'https://in-toto.io/Statement/v0.1' }) }],
    });
    const index = json({
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [
        { ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { ...attestation, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.digest } },
      ],
    });
    const indexDigest = await client.putManifest(REPO, 'multi', index, MediaType.OciIndex);

    const scan = await scanArtifact({ client, name: REPO, digest: indexDigest, analyzers });
    expect(scan.digest).toBe(indexDigest);
    expect(scan.mediaType).toBe(MediaType.OciIndex);
    expect(scan.platforms.map((p) => [p.digest, p.platform, p.inventory.os?.id, p.inventory.packages.map((x) => `${x.path}=${x.version}`)])).toEqual([
      [amd64.digest, 'linux/amd64', 'debian', ['app/b.version=2.0']],
      [arm64.digest, 'linux/arm64/v8', 'alpine', ['app/a.version=1.1']],
    ]);
  });

  it('scans a single Docker v2 image', async () => {
    const image = await pushImage({
      manifestType: MediaType.DockerManifest,
      configType: MediaType.DockerConfig,
      config: { os: 'linux', architecture: 'arm', variant: 'v7', rootfs: { type: 'layers', diff_ids: [] } },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', bytes: gzip(buildTar({ 'usr/lib/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\n' })) }],
    });
    const scan = await scanArtifact({ client, name: REPO, digest: image.digest, analyzers });
    expect(scan).toMatchObject({ digest: image.digest, mediaType: MediaType.DockerManifest, platforms: [{ digest: image.digest, platform: 'linux/arm/v7' }] });
    expect(scan.platforms[0]!.inventory.os).toMatchObject({ id: 'ubuntu', versionId: '22.04' });
  });

  it('refuses a Helm chart and a cosign signature, saying why', async () => {
    const chart = await pushImage({
      manifestType: MediaType.OciManifest,
      configType: 'application/vnd.cncf.helm.config.v1+json',
      config: { name: 'app', version: '1.0.0', apiVersion: 'v2' },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', bytes: gzip(buildTar({ 'app/Chart.yaml': 'name: app\n' })) }],
    });
    const scanning = scanArtifact({ client, name: REPO, digest: chart.digest, analyzers });
    await expect(scanning).rejects.toBeInstanceOf(UnsupportedArtifactError);
    await expect(scanning).rejects.toThrow('application/vnd.cncf.helm.config.v1+json is not a container image');

    const signature = await pushImage({
      manifestType: MediaType.OciManifest,
      configType: MediaType.OciEmpty,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      config: {},
      layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', bytes: json({ critical: {} }) }],
    });
    await expect(scanArtifact({ client, name: REPO, digest: signature.digest, analyzers })).rejects.toThrow(
      'application/vnd.dev.cosign.artifact.sig.v1+json is not a container image',
    );
  });

  it('streams layers with the auth of the client, larger ones than a config fetch takes', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const { digest } = await push('application/octet-stream', big);
    await expect(client.blob(REPO, digest)).rejects.toThrow(/larger than/);
    const parts: Uint8Array[] = [];
    for await (const chunk of await client.blobStream(REPO, digest)) parts.push(chunk);
    expect(Buffer.concat(parts).equals(big)).toBe(true);
    const stranger = new RegistryClient(registry.url);
    await expect(stranger.blobStream(REPO, digest)).rejects.toMatchObject({ status: 401 });
    await expect(client.blobStream(REPO, `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({ status: 404, code: 'BLOB_UNKNOWN' });
  });
});
