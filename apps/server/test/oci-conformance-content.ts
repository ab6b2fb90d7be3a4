import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { buildTar } from '@berth/testkit';

/**
 * The content Berth's OCI conformance test pushes: the same shapes the distribution-spec
 * conformance suite (v1.1.1) pushes, made here. Manifests and configs are serialised the way
 * a Go client writes them (tab-indented, a `null` for every unset byte field, a base64
 * `data` field and an unknown `newUnspecifiedField` on the config descriptor), so Berth is
 * checked against what that suite actually sends, not a tidier version of it.
 */

/** A blob or manifest: its bytes and digest. */
export interface Content {
  bytes: Buffer;
  digest: string;
  size: number;
}

/** A descriptor as the suite writes it (the unknown field is always present). */
interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  data?: string;
  artifactType?: string;
  newUnspecifiedField: string | null;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

/** The annotation every referrer carries, so the referrers list can be checked entry by entry. */
export const ANNOTATION = 'org.opencontainers.conformance.test';
/** The two artifact types of the referrers, and the index's. */
export const ARTIFACT_TYPE_A = 'application/vnd.berth.conformance.first';
export const ARTIFACT_TYPE_B = 'application/vnd.berth.conformance.second';
export const ARTIFACT_TYPE_INDEX = 'application/vnd.berth.conformance.bundle';

export function content(bytes: Buffer | string): Content {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return { bytes: b, digest: `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`, size: b.byteLength };
}

/** `size` bytes that depend only on `seed` (the suite's blobs are seeded random bytes too). */
function seededBytes(size: number, seed: string): Buffer {
  const out: Buffer[] = [];
  let block = Buffer.from(seed);
  for (let n = 0; n < size; n += 32) {
    block = crypto.createHash('sha256').update(block).digest();
    out.push(block);
  }
  return Buffer.concat(out).subarray(0, size);
}

const goJson = (value: unknown) => Buffer.from(JSON.stringify(value, null, '\t'));
const descriptorOf = (c: Content, mediaType: string, extra: Partial<Descriptor> = {}): Descriptor => ({
  mediaType,
  digest: c.digest,
  size: c.size,
  ...extra,
  newUnspecifiedField: extra.newUnspecifiedField ?? null,
});

/** Builds one fresh set of conformance content (new config authors each time, so new digests). */
export function conformanceContent() {
  const runId = crypto.randomBytes(8).toString('hex');
  // One config and one image manifest per workflow (the suite numbers them 0–4).
  const configs = [0, 1, 2, 3, 4].map((i) =>
    content(goJson({ author: `berth-conformance-${runId}-${i}`, architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })),
  );
  const layer = content(zlib.gzipSync(buildTar({ 'conformance.txt': 'a layer pushed by Berth\u2019s conformance test\n' })));
  const configDescriptor = (c: Content) =>
    descriptorOf(c, OCI_CONFIG, { data: c.bytes.toString('base64'), newUnspecifiedField: Buffer.from('an unknown field').toString('base64') });
  const manifests = configs.map((c) => content(goJson({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor(c), layers: [descriptorOf(layer, OCI_LAYER)] })));
  // No mediaType field and no layers: a registry must still take it.
  const emptyLayerManifest = content(goJson({ schemaVersion: 2, config: configDescriptor(configs[1]!), layers: [] }));

  const blobA = content(seededBytes(42, `${runId}-a`));
  const blobB = content(seededBytes(42, `${runId}-b`));
  const split = 42 / 2 + 1;
  const chunk1 = blobB.bytes.subarray(0, split);
  const chunk2 = blobB.bytes.subarray(split);

  // Referrers of manifests[4] (not pushed yet when the first ones arrive) and one of manifests[3].
  const emptyJson = content('{}');
  const refBlobA = content(`first referrer payload ${runId}`);
  const refBlobB = content(`second referrer payload ${runId}`);
  const subject = (m: Content) => descriptorOf(m, OCI_MANIFEST);
  const annotated = (text: string) => ({ [ANNOTATION]: text });
  // The artifact type given by the config's media type…
  const refAConfig = content(
    goJson({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptorOf(refBlobA, ARTIFACT_TYPE_A), layers: [descriptorOf(emptyJson, OCI_EMPTY)], subject: subject(manifests[4]!), annotations: annotated('config a') }),
  );
  const refBConfig = content(
    goJson({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptorOf(refBlobB, ARTIFACT_TYPE_B), layers: [descriptorOf(emptyJson, OCI_EMPTY)], subject: subject(manifests[4]!), annotations: annotated('config b') }),
  );
  // …and by the manifest's artifactType over the empty config.
  const refALayer = content(
    goJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: ARTIFACT_TYPE_A,
      config: descriptorOf(emptyJson, OCI_EMPTY),
      layers: [descriptorOf(refBlobA, ARTIFACT_TYPE_A)],
      subject: subject(manifests[4]!),
      annotations: annotated('layer a'),
    }),
  );
  const refBLayer = content(
    goJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: ARTIFACT_TYPE_B,
      config: descriptorOf(emptyJson, OCI_EMPTY),
      layers: [descriptorOf(refBlobB, ARTIFACT_TYPE_B)],
      subject: subject(manifests[4]!),
      annotations: annotated('layer b'),
    }),
  );
  // A referrer whose subject (manifests[3]) is not in the registry, with no annotations.
  const refCLayer = content(
    goJson({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: ARTIFACT_TYPE_B, config: descriptorOf(emptyJson, OCI_EMPTY), layers: [descriptorOf(refBlobB, ARTIFACT_TYPE_B)], subject: subject(manifests[3]!) }),
  );
  // An index that is itself a referrer, listing two of the manifest referrers.
  const refIndex = content(
    goJson({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      artifactType: ARTIFACT_TYPE_INDEX,
      manifests: [descriptorOf(refAConfig, OCI_MANIFEST), descriptorOf(refALayer, OCI_MANIFEST)],
      subject: subject(manifests[4]!),
      annotations: annotated('index'),
    }),
  );
  const annotations = new Map<string, string>([
    [refAConfig.digest, 'config a'],
    [refBConfig.digest, 'config b'],
    [refALayer.digest, 'layer a'],
    [refBLayer.digest, 'layer b'],
    [refIndex.digest, 'index'],
  ]);

  return {
    configs,
    layer,
    manifests,
    emptyLayerManifest,
    blobA,
    blobB,
    chunk1,
    chunk2,
    chunk1Range: `0-${chunk1.byteLength - 1}`,
    chunk2Range: `${chunk1.byteLength}-${blobB.size - 1}`,
    emptyJson,
    refBlobA,
    refBlobB,
    refAConfig,
    refBConfig,
    refALayer,
    refBLayer,
    refCLayer,
    refIndex,
    /** The annotation value each referrer of manifests[4] carries. */
    annotations,
    /** A digest nothing in the registry has. */
    unknownDigest: content(`nothing has this ${runId}`).digest,
  };
}

export type ConformanceContent = ReturnType<typeof conformanceContent>;
