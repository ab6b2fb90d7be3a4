import {
  imageManifestSize,
  isImageConfigMediaType,
  isIndexMediaType,
  MediaType,
  parseManifest,
  platformFromConfig,
  type ParsedManifest,
  type Platform,
  type RegistryClient,
} from '@berth/oci';
import type { ChildRecord, ManifestDescriptor, Store } from '@berth/store';
import type { Logger } from 'pino';

/** A manifest stored in the registry, to be indexed. */
export interface IndexedManifest {
  repository: string;
  image: string;
  digest: string;
  /** The tag it was pushed under, or null for a push by digest. */
  tag: string | null;
  body: Uint8Array;
  manifest: ParsedManifest;
  at: string;
  actor: string;
}

const isRealPlatform = (p: Platform | null | undefined): p is Platform => !!p && p.os !== 'unknown' && p.architecture !== 'unknown';

/**
 * Keeps the store in step with manifests: sizes, platforms and children are worked
 * out once, at push (or import), so lists never fetch manifests.
 */
export class Indexer {
  constructor(
    private readonly store: Store,
    /** Berth's own client of the upstream registry (its reads are never pulls). */
    private readonly upstream: RegistryClient,
    private readonly log: Logger,
  ) {}

  async manifestPushed(m: IndexedManifest): Promise<void> {
    const name = `${m.repository}/${m.image}`;
    let size: number;
    let platforms: Platform[] = [];
    let children: ChildRecord[] = [];
    if (m.manifest.kind === 'image') {
      size = imageManifestSize(m.body.byteLength, m.manifest);
      const config = m.manifest.config;
      if (isImageConfigMediaType(config.mediaType) && config.size <= 1024 * 1024) {
        try {
          const p = platformFromConfig(await this.upstream.blob(name, config.digest));
          if (p) platforms = [p];
        } catch (err) {
          this.log.warn({ err, digest: config.digest }, 'could not read image config for its platform');
        }
      }
    } else {
      children = await Promise.all(m.manifest.manifests.map((d) => this.child(m.repository, m.image, d)));
      size = m.body.byteLength + children.reduce((sum, c) => sum + c.size, 0);
      platforms = children.map((c) => c.platform).filter(isRealPlatform);
    }
    await this.store.images.recordPush({
      repository: m.repository,
      image: m.image,
      digest: m.digest,
      mediaType: m.manifest.mediaType,
      artifactType: m.manifest.artifactType ?? (m.manifest.kind === 'image' ? nonImageConfig(m.manifest.config.mediaType) : null),
      size,
      platforms,
      children,
      subject: m.manifest.subject?.digest ?? null,
      tag: m.tag,
      at: m.at,
      actor: m.actor,
      descriptor: manifestDescriptor(m.body, m.manifest),
    });
  }

  /**
   * The descriptor of an artifact Berth indexed before it kept descriptors, read from the
   * registry once and recorded; null when the registry no longer has the manifest.
   */
  async describe(repository: string, image: string, imageId: number, digest: string): Promise<ManifestDescriptor | null> {
    let descriptor: ManifestDescriptor;
    try {
      const fetched = await this.upstream.manifest(`${repository}/${image}`, digest);
      descriptor = manifestDescriptor(fetched.body, parseManifest(fetched.body, fetched.mediaType));
    } catch (err) {
      this.log.warn({ err, name: `${repository}/${image}`, digest }, 'could not read a referrer from the registry');
      return null;
    }
    await this.store.images.setDescriptor(imageId, digest, descriptor);
    return descriptor;
  }

  /** A child of an index: its total size from the store, or worked out from the registry. */
  private async child(
    repository: string,
    image: string,
    d: { digest: string; mediaType: string; size: number; platform?: Platform },
  ): Promise<ChildRecord> {
    const platform = d.platform ?? null;
    const repo = await this.store.repositories.get(repository);
    const img = repo ? await this.store.images.get(repo.id, image) : null;
    const known = img ? await this.store.images.getArtifact(img.id, d.digest) : null;
    if (known) return { digest: d.digest, mediaType: d.mediaType, size: known.size, platform };
    if (!isIndexMediaType(d.mediaType)) {
      try {
        const fetched = await this.upstream.manifest(`${repository}/${image}`, d.digest);
        const parsed = parseManifest(fetched.body, fetched.mediaType);
        if (parsed.kind === 'image') {
          return { digest: d.digest, mediaType: d.mediaType, size: imageManifestSize(fetched.body.byteLength, parsed), platform };
        }
      } catch (err) {
        this.log.warn({ err, digest: d.digest }, 'could not read a child manifest; counting its descriptor size only');
      }
    }
    return { digest: d.digest, mediaType: d.mediaType, size: d.size, platform };
  }
}

/** What the referrers API lists of a manifest besides its digest, media type and artifact type. */
function manifestDescriptor(body: Uint8Array, manifest: ParsedManifest): ManifestDescriptor {
  return { manifestSize: body.byteLength, configMediaType: manifest.kind === 'image' ? manifest.config.mediaType : null, annotations: manifest.annotations };
}

/** An OCI artifact without artifactType is typed by its config media type. */
function nonImageConfig(configMediaType: string): string | null {
  return isImageConfigMediaType(configMediaType) || configMediaType === MediaType.OciEmpty ? null : configMediaType;
}
