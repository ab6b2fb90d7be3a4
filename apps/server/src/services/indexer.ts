import {
  imageManifestSize,
  isIndexMediaType,
  MediaType,
  parseManifest,
  platformFromConfig,
  type ParsedManifest,
  type Platform,
  type RegistryClient,
} from '@berth/oci';
import type { ChildRecord, Store } from '@berth/store';
import type { Logger } from 'pino';
import { nowIso } from './clock.ts';

const IMAGE_CONFIG_TYPES = new Set<string>([MediaType.OciConfig, MediaType.DockerConfig]);

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
      if (IMAGE_CONFIG_TYPES.has(config.mediaType) && config.size <= 1024 * 1024) {
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
      tag: m.tag,
      at: m.at,
      actor: m.actor,
    });
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

  /**
   * Deletes the artifact `digest` in the registry with `remove`, keeping the index in step:
   * the artifact and its tags are `Deleting` while the registry works on it; they leave
   * the index when it deleted the manifest or does not have it; when it refuses, fails or
   * cannot be reached they are `Inactive`: still listed (the content is untouched) until
   * a retried delete succeeds or a push makes them `Active` again. Returns what `remove` did.
   */
  async deleteManifest<T>(repository: string, image: string, digest: string, remove: () => Promise<RegistryDelete<T>>): Promise<T> {
    const where = { repository, image, digest };
    await this.store.images.setArtifactStatus({ ...where, status: 'Deleting' });
    const done = await this.settle(remove, () => this.store.images.setArtifactStatus({ ...where, status: 'Inactive', from: 'Deleting' }));
    if (done.answer !== 'refused') await this.store.images.recordDelete({ ...where, at: nowIso() });
    return done.result;
  }

  /**
   * Deletes one tag in the registry with `remove` (the embedded registry deletes tags;
   * distribution 2.8 refuses), as {@link deleteManifest} does an artifact.
   */
  async deleteTag<T>(repository: string, image: string, tag: string, remove: () => Promise<RegistryDelete<T>>): Promise<T> {
    const where = { repository, image, tag };
    await this.store.images.setTagStatus({ ...where, status: 'Deleting' });
    const done = await this.settle(remove, () => this.store.images.setTagStatus({ ...where, status: 'Inactive', from: 'Deleting' }));
    if (done.answer !== 'refused') {
      const repositoryId = await this.store.repositories.id(repository);
      const record = repositoryId === null ? null : await this.store.images.get(repositoryId, image);
      if (record) await this.store.images.removeTags(record.id, [tag]);
    }
    return done.result;
  }

  /**
   * Runs `remove`; a refusal, or an error thrown (rethrown here), runs `failed` first. The
   * caller still gets the registry's answer when `failed` cannot be recorded (it is logged).
   */
  private async settle<T>(remove: () => Promise<RegistryDelete<T>>, failed: () => Promise<unknown>): Promise<RegistryDelete<T>> {
    const markFailed = () => failed().catch((err: unknown) => this.log.error({ err }, 'could not mark a failed delete Inactive'));
    let done: RegistryDelete<T>;
    try {
      done = await remove();
    } catch (err) {
      await markFailed();
      throw err;
    }
    if (done.answer === 'refused') await markFailed();
    return done;
  }
}

/**
 * How the registry answered a delete: it `deleted` it, it has no such manifest or tag
 * (`absent`: already gone, so it leaves Berth's index too), or it `refused` (not allowed,
 * not supported, an error); `result` is passed back to the caller.
 */
export interface RegistryDelete<T> {
  answer: 'deleted' | 'absent' | 'refused';
  result: T;
}

/** An OCI artifact without artifactType is typed by its config media type. */
function nonImageConfig(configMediaType: string): string | null {
  return IMAGE_CONFIG_TYPES.has(configMediaType) || configMediaType === MediaType.OciEmpty ? null : configMediaType;
}
