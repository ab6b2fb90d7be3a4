import type {
  Artifact,
  Image,
  ListArtifactsQuery,
  ListImagesQuery,
  ListTagsQuery,
  Page,
  Tag,
  UpdateImageRequest,
} from '@berth/api';
import type { ArtifactRecord, ImageRecord, Store } from '@berth/store';
import { ApiError } from '../errors.ts';
import { nowIso } from './clock.ts';
import { actorName, type Identity } from './identity.ts';
import type { RepositoryService } from './repositories.ts';
import type { ImageRef } from './deletes.ts';
import { scanOverviews } from './scan-overviews.ts';

function toImage(r: ImageRecord): Image {
  const { id: _id, repositoryId: _r, ...rest } = r;
  return rest;
}

function toArtifact(a: ArtifactRecord): Artifact {
  const { id: _id, children, ...rest } = a;
  return children.length > 0 ? { ...rest, children } : rest;
}

/** Why something that is not Active cannot be changed now. */
function notActive(what: string, status: string): string {
  return status === 'Inactive'
    ? `${what} is Inactive: a delete of it failed, and only delete may be retried`
    : `${what} is ${status}: try again when that is done`;
}

/** Read side of images, artifacts and tags, plus image description edits. */
export class ImageService {
  constructor(
    private readonly store: Store,
    private readonly repositories: RepositoryService,
  ) {}

  private async require(repository: string, name: string): Promise<ImageRecord> {
    const repo = await this.repositories.require(repository);
    const image = await this.store.images.get(repo.id, name);
    if (!image) throw new ApiError('IMAGE_NOT_FOUND', `image ${repository}/${name} does not exist`);
    return image;
  }

  /** The image `repository/name`, resolved once for a lifecycle change; IMAGE_NOT_FOUND when there is none. */
  async ref(repository: string, name: string): Promise<ImageRef> {
    return { repository, image: name, record: await this.require(repository, name) };
  }

  async list(repository: string, q: ListImagesQuery): Promise<Page<Image>> {
    const repo = await this.repositories.require(repository);
    const page = await this.store.images.list(repo.id, q);
    return { items: page.items.map(toImage), nextCursor: page.nextCursor };
  }

  async get(repository: string, name: string): Promise<Image> {
    return toImage(await this.require(repository, name));
  }

  /** Changes an image's description and/or lock, audited; a lock change is its own audit entry (`image.lock` / `image.unlock`). */
  async update(who: Identity, repository: string, name: string, req: UpdateImageRequest): Promise<Image> {
    const before = await this.require(repository, name);
    const at = nowIso();
    const actor = actorName(who);
    const target = `${repository}/${name}`;
    if (req.locked !== undefined && req.locked !== before.locked && before.status !== 'Active' && before.status !== 'Editing') {
      throw new ApiError('BUSY', notActive(`image ${target}`, before.status));
    }
    await this.store.transaction(async (tx) => {
      if (req.description !== undefined && req.description !== before.description) {
        await tx.images.update(before.id, { description: req.description, at, actor });
        await tx.audit.record({ at, actor, action: 'image.update', target, before: { description: before.description }, after: { description: req.description } });
      }
      if (req.locked !== undefined && req.locked !== before.locked) {
        await tx.locks.setImage(before.id, req.locked, at, actor);
        await tx.audit.record({ at, actor, action: req.locked ? 'image.lock' : 'image.unlock', target, before: { locked: before.locked }, after: { locked: req.locked } });
      }
    });
    return toImage((await this.store.images.get(before.repositoryId, name)) ?? before);
  }

  /** Locks or unlocks one tag, audited (`tag.lock` / `tag.unlock`). */
  async setTagLock(who: Identity, repository: string, name: string, tag: string, locked: boolean): Promise<Tag> {
    const image = await this.require(repository, name);
    const current = await this.store.images.getTag(image.id, tag);
    if (!current) throw new ApiError('TAG_NOT_FOUND', `tag ${tag} of ${repository}/${name} does not exist`);
    if (current.status !== 'Active') throw new ApiError('BUSY', notActive(`tag ${tag} of ${repository}/${name}`, current.status));
    const at = nowIso();
    const actor = actorName(who);
    const found = await this.store.transaction(async (tx) => {
      if (!(await tx.locks.setTag(image.id, tag, locked))) return false;
      await tx.audit.record({ at, actor, action: locked ? 'tag.lock' : 'tag.unlock', target: `${repository}/${name}:${tag}`, after: { locked } });
      return true;
    });
    if (!found) throw new ApiError('TAG_NOT_FOUND', `tag ${tag} of ${repository}/${name} does not exist`);
    return (await this.store.images.getTag(image.id, tag))!;
  }

  async artifacts(repository: string, name: string, q: ListArtifactsQuery): Promise<Page<Artifact>> {
    const image = await this.require(repository, name);
    const page = await this.store.images.listArtifacts(image.id, q);
    const scans = await scanOverviews(this.store, image, page.items.map((a) => a.digest));
    return { items: page.items.map((a) => ({ ...toArtifact(a), scan: scans.get(a.digest)! })), nextCursor: page.nextCursor };
  }

  async tags(repository: string, name: string, q: ListTagsQuery): Promise<Page<Tag>> {
    const image = await this.require(repository, name);
    const page = await this.store.images.listTags(image.id, q);
    const scans = await scanOverviews(this.store, image, page.items.map((t) => t.digest));
    return { items: page.items.map((t) => ({ ...t, scan: scans.get(t.digest)! })), nextCursor: page.nextCursor };
  }
}
