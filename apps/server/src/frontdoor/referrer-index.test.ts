import { describe, expect, it } from 'vitest';
import { referrerDescriptor, referrerIndex } from './referrer-index.ts';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

describe('referrers answer', () => {
  it('types an image manifest without artifactType by its config media type', () => {
    const descriptor = referrerDescriptor(
      { digest: d(1), mediaType: MANIFEST, artifactType: null },
      { manifestSize: 321, configMediaType: 'application/vnd.dev.cosign.artifact.sig.v1+json', annotations: { 'dev.cosignproject.cosign/signature': 'MEUC' } },
    );
    expect(descriptor).toEqual({
      mediaType: MANIFEST,
      digest: d(1),
      size: 321,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      annotations: { 'dev.cosignproject.cosign/signature': 'MEUC' },
    });
  });

  it('prefers the manifest’s own artifactType, and leaves out what an index does not have', () => {
    expect(referrerDescriptor({ digest: d(2), mediaType: MANIFEST, artifactType: 'application/spdx+json' }, { manifestSize: 9, configMediaType: 'application/vnd.oci.empty.v1+json', annotations: null })).toEqual(
      { mediaType: MANIFEST, digest: d(2), size: 9, artifactType: 'application/spdx+json' },
    );
    const index = 'application/vnd.oci.image.index.v1+json';
    expect(referrerDescriptor({ digest: d(3), mediaType: index, artifactType: null }, { manifestSize: 5, configMediaType: null, annotations: null })).toEqual({ mediaType: index, digest: d(3), size: 5 });
  });

  it('filters by artifactType when asked, and is an OCI image index either way', () => {
    const sbom = { mediaType: MANIFEST, digest: d(1), size: 1, artifactType: 'application/spdx+json' };
    const sig = { mediaType: MANIFEST, digest: d(2), size: 2, artifactType: 'application/vnd.example.sig' };
    expect(referrerIndex([sbom, sig], null)).toEqual({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [sbom, sig] });
    expect(referrerIndex([sbom, sig], 'application/spdx+json').manifests).toEqual([sbom]);
    expect(referrerIndex([sbom, sig], 'text/plain').manifests).toEqual([]);
  });
});
