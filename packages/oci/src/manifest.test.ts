import { describe, expect, it } from 'vitest';
import { imageManifestSize, ManifestError, parseManifest } from './manifest.ts';
import { parseDigest, sha256Digest } from './digest.ts';
import { parseReference, splitName } from './reference.ts';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseManifest', () => {
  it('reads an OCI image manifest and totals its size', () => {
    const body = bytes({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d(1), size: 10 },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d(2), size: 100 },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d(3), size: 1000 },
      ],
    });
    const m = parseManifest(body, 'application/vnd.oci.image.manifest.v1+json');
    expect(m.kind).toBe('image');
    if (m.kind === 'image') expect(imageManifestSize(body.byteLength, m)).toBe(body.byteLength + 1110);
  });

  it('reads a Docker manifest list with platforms', () => {
    const m = parseManifest(
      bytes({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        manifests: [
          { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: d(4), size: 5, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        ],
      }),
      undefined,
    );
    expect(m.kind === 'index' && m.manifests[0]!.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it.each([
    ['not JSON', Buffer.from('{nope'), /valid JSON/],
    ['wrong schema version', bytes({ schemaVersion: 1 }), /schemaVersion/],
    ['bad layer digest', bytes({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'x', digest: d(1), size: 1 }, layers: [{ mediaType: 'x', digest: 'sha256:zz', size: 1 }] }), /digest/],
    ['negative size', bytes({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'x', digest: d(1), size: -1 }, layers: [] }), /size/],
    ['unknown media type', bytes({ schemaVersion: 2, mediaType: 'text/plain' }), /unsupported/],
  ])('refuses %s', (_label, body, message) => {
    expect(() => parseManifest(body, undefined)).toThrow(ManifestError);
    expect(() => parseManifest(body, undefined)).toThrow(message);
  });

  it('reads the manifest annotations the referrers API lists, and refuses ones that are not strings', () => {
    const manifest = (annotations: unknown) =>
      bytes({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'x', digest: d(1), size: 1 }, layers: [], annotations });
    expect(parseManifest(manifest({ 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' }), undefined).annotations).toEqual({
      'org.opencontainers.image.created': '2026-01-01T00:00:00Z',
    });
    expect(parseManifest(manifest(undefined), undefined).annotations).toBeNull();
    expect(() => parseManifest(manifest({ count: 3 }), undefined)).toThrow(/annotations.count must be a string/);
  });

  it('refuses a body whose mediaType contradicts Content-Type', () => {
    const body = bytes({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
    expect(() => parseManifest(body, 'application/vnd.oci.image.manifest.v1+json')).toThrow(/does not match/);
  });
});

describe('digests and references', () => {
  it('accepts sha256 and sha512, refuses malformed ones', () => {
    expect(parseDigest(sha256Digest('x'))?.algorithm).toBe('sha256');
    expect(parseDigest(`sha512:${'a'.repeat(128)}`)?.algorithm).toBe('sha512');
    expect(parseDigest('sha256:ABC')).toBeNull();
    expect(parseDigest(`md5:${'a'.repeat(32)}`)).toBeNull();
  });
  it('tells tags from digests', () => {
    expect(parseReference('v1.2')).toEqual({ kind: 'tag', tag: 'v1.2' });
    expect(parseReference(d(1))).toEqual({ kind: 'digest', digest: d(1) });
    expect(parseReference('-bad')).toBeNull();
    expect(parseReference('a'.repeat(129))).toBeNull();
  });
  it('splits <repository>/<image> and refuses traversal', () => {
    expect(splitName('team/tools/app')).toEqual({ repository: 'team', image: 'tools/app' });
    expect(splitName('single')).toBeNull();
    expect(splitName('team/../etc')).toBeNull();
    expect(splitName('Team/app')).toBeNull();
  });
});
