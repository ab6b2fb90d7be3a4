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

function toImage(r: ImageRecord): Image {
  const { id: _id, repositoryId: _r, ...rest } = r;
  return rest;
}

function toArtifact(a: ArtifactRecord): Artifact {
  const { id: _id, children, ...rest } = a;
  return children.length > 0 ? { ...rest, children } : rest;
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

  async list(repository: string, q: ListImagesQuery): Promise<Page<Image>> {
    const repo = await this.repositories.require(repository);
    const page = await this.store.images.list(repo.id, q);
    return { items: page.items.map(toImage), nextCursor: page.nextCursor };
  }

  async get(repository: string, name: string): Promise<Image> {
    return toImage(await this.require(repository, name));
  }

  async update(who: Identity, repository: string, name: string, req: UpdateImageRequest): Promise<Image> {
    const before = await this.require(repository, name);
    const at = nowIso();
    const actor = actorName(who);
    const after = (await this.store.images.update(before.id, { description: req.description, at, actor }))!;
    await this.store.audit.record({
      at,
      actor,
      action: 'image.update',
      target: `${repository}/${name}`,
      before: { description: before.description },
      after: { description: after.description },
    });
    return toImage(after);
  }

  async artifacts(repository: string, name: string, q: ListArtifactsQuery): Promise<Page<Artifact>> {
    const image = await this.require(repository, name);
    const page = await this.store.images.listArtifacts(image.id, q);
    return { items: page.items.map(toArtifact), nextCursor: page.nextCursor };
  }

  async tags(repository: string, name: string, q: ListTagsQuery): Promise<Page<Tag>> {
    const image = await this.require(repository, name);
    return this.store.images.listTags(image.id, q);
  }
}
