// Scans what a digest names in a registry: one image, or each platform image of an index.
import { isImageConfigMediaType, MediaType, ManifestError, parseManifest, platformFromConfig, type Descriptor, type ParsedManifest, type Platform, type RegistryClient } from '@berth/oci';
import type { FileAnalyzer, Inventory } from '../types.ts';
import { UnsupportedArtifactError } from './errors.ts';
import { scanImage, type ScanProgress } from './scan-image.ts';

/** The inventory of one platform image. */
export interface PlatformScan {
  /** Digest of the platform's image manifest. */
  digest: string;
  /** `os/architecture[/variant]` from the image config, or null when the config names none. */
  platform: string | null;
  inventory: Inventory;
}

/** The scan of an artifact: one platform for an image, one per image of an index. */
export interface ArtifactScan {
  digest: string;
  mediaType: string;
  platforms: PlatformScan[];
}

/** Options of {@link scanArtifact}. */
export interface ScanArtifactOptions {
  client: RegistryClient;
  /** Repository name (`library/nginx`). */
  name: string;
  /** Manifest digest (or tag) of the artifact. */
  digest: string;
  analyzers: readonly FileAnalyzer[];
  /** Layers read at once within each image (default 2). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Progress of the image being scanned, named by its manifest digest. */
  onProgress?(manifestDigest: string, p: ScanProgress): void;
}


/**
 * Fetches the manifest `digest` of `name` and scans it. An image manifest (OCI or Docker
 * v2) gives one platform; an index or manifest list gives one per platform image in it,
 * in its order — buildkit's attestation manifests (`unknown/unknown`) and artifacts
 * inside the index are not images and are left out. An artifact that is not a container
 * image throws {@link UnsupportedArtifactError}.
 */
export async function scanArtifact(opts: ScanArtifactOptions): Promise<ArtifactScan> {
  const top = await fetchManifest(opts, opts.digest);
  if (top.parsed.kind === 'image') {
    const config = imageConfigOf(top.parsed);
    if (config.reason) throw new UnsupportedArtifactError(config.reason);
    return { digest: top.digest, mediaType: top.parsed.mediaType, platforms: [await scanPlatform(opts, top.digest, top.parsed)] };
  }
  const platforms: PlatformScan[] = [];
  const skipped: string[] = [];
  for (const child of top.parsed.manifests) {
    if (isAttestation(child)) continue;
    if (!(child.mediaType === MediaType.OciManifest || child.mediaType === MediaType.DockerManifest)) {
      skipped.push(`${child.mediaType} is not an image manifest`);
      continue;
    }
    const m = await fetchManifest(opts, child.digest);
    if (m.parsed.kind !== 'image') {
      skipped.push(`an index inside an index (${child.digest}) is not scanned`);
      continue;
    }
    const config = imageConfigOf(m.parsed);
    if (config.reason) {
      skipped.push(config.reason);
      continue;
    }
    platforms.push(await scanPlatform(opts, child.digest, m.parsed, child.platform));
  }
  if (platforms.length === 0) {
    const why = skipped.length > 0 ? `: ${[...new Set(skipped)].join('; ')}` : '';
    throw new UnsupportedArtifactError(`the index ${top.digest} holds no container image${why}`);
  }
  return { digest: top.digest, mediaType: top.parsed.mediaType, platforms };
}

type ImageManifest = Extract<ParsedManifest, { kind: 'image' }>;

async function fetchManifest(opts: ScanArtifactOptions, reference: string): Promise<{ digest: string; parsed: ParsedManifest }> {
  const fetched = await opts.client.manifest(opts.name, reference);
  try {
    return { digest: fetched.digest || reference, parsed: parseManifest(fetched.body, fetched.mediaType || undefined) };
  } catch (err) {
    if (err instanceof ManifestError) throw new UnsupportedArtifactError(`${opts.name}@${reference} is not an image manifest or index: ${err.message}`);
    throw err;
  }
}

/** Why an image manifest is not a container image (its config is a Helm chart's, a signature's…), or nothing. */
function imageConfigOf(m: ImageManifest): { reason?: string } {
  const type = m.config.mediaType;
  if (isImageConfigMediaType(type)) return {};
  const what = m.artifactType && type === MediaType.OciEmpty ? m.artifactType : type;
  return { reason: `${what} is not a container image` };
}

/** Buildkit's provenance and SBOM manifests sit in the index as platform `unknown/unknown`. */
function isAttestation(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return d.platform?.os === 'unknown' && d.platform.architecture === 'unknown';
}

/** Scans one image; its platform is the config's, else the one its index entry gives. */
async function scanPlatform(opts: ScanArtifactOptions, digest: string, m: ImageManifest, indexed?: Platform): Promise<PlatformScan> {
  const configBody = await opts.client.blob(opts.name, m.config.digest);
  const p = platformFromConfig(configBody) ?? indexed ?? null;
  const inventory = await scanImage({
    layers: m.layers,
    open: (layer) => opts.client.blobStream(opts.name, layer.digest, opts.signal) as Promise<AsyncIterable<Uint8Array>>,
    analyzers: opts.analyzers,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: (progress: ScanProgress) => opts.onProgress!(digest, progress) } : {}),
  });
  return { digest, platform: p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : null, inventory };
}
