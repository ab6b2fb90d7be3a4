import { z } from 'zod';
import { scanOverview } from './scan-overview.ts';

/** Cursor paging shared by every list: `limit` (1-500, default 50) and an opaque `cursor`. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1024).optional(),
});

export const sortOrder = z.enum(['asc', 'desc']);

export const listImagesQuery = pageQuery.extend({
  sort: z.enum(['name', 'artifactCount', 'pullCount', 'lastModifiedAt']).default('name'),
  order: sortOrder.default('asc'),
  /** Case-insensitive substring of the image name. */
  q: z.string().max(255).optional(),
});
export type ListImagesQuery = z.infer<typeof listImagesQuery>;

/**
 * Status of an image, artifact or tag: `Active`; `Editing` (settings or sub-resources
 * changing); `Deleting` (a delete is under way in the registry); `Inactive` (a delete
 * failed: the content is still there and pullable; only delete may be retried).
 */
export const status = z.enum(['Active', 'Editing', 'Deleting', 'Inactive']);
export type Status = z.infer<typeof status>;

export const image = z.object({
  repository: z.string(),
  name: z.string(),
  description: z.string(),
  status,
  /** Locked: the image and all its tags can be neither deleted nor pushed to. */
  locked: z.boolean(),
  artifactCount: z.number().int(),
  tagCount: z.number().int(),
  pullCount: z.number().int(),
  /** Last push or pull, ISO 8601 UTC. */
  lastModifiedAt: z.string(),
  pushedAt: z.string().nullable(),
  pulledAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Image = z.infer<typeof image>;

export const platform = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  osVersion: z.string().optional(),
});
export type Platform = z.infer<typeof platform>;

export const artifactChild = z.object({
  digest: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  platform: platform.nullable(),
});
export type ArtifactChild = z.infer<typeof artifactChild>;

export const artifact = z.object({
  digest: z.string(),
  mediaType: z.string(),
  artifactType: z.string().nullable(),
  tags: z.array(z.string()),
  status,
  /**
   * The status of each of `tags` that is not Active (being deleted, or a delete the registry
   * refused), by tag name; a tag not named here is Active.
   */
  tagStatus: z.record(z.string(), status),
  /** Those of `tags` that are locked (cannot be deleted or moved to another digest). */
  lockedTags: z.array(z.string()),
  /** The artifact this one refers to (a signature's or SBOM's image), or null. */
  subject: z.string().nullable(),
  /** Bytes: manifest + config + layers; for an index, the manifest plus its children. */
  size: z.number().int(),
  pushedAt: z.string(),
  pulledAt: z.string().nullable(),
  pullCount: z.number().int(),
  /** Platforms of an index's children, or the platform of an image manifest when known. */
  platforms: z.array(platform),
  children: z.array(artifactChild).optional(),
  /** The artifact's latest scan (counts after the image's exclusions). */
  scan: scanOverview.optional(),
});
export type Artifact = z.infer<typeof artifact>;

export const listArtifactsQuery = pageQuery.extend({
  sort: z.enum(['pushedAt', 'pulledAt', 'pullCount', 'size']).default('pushedAt'),
  order: sortOrder.default('desc'),
  /** Tag name substring. */
  q: z.string().max(128).optional(),
});
export type ListArtifactsQuery = z.infer<typeof listArtifactsQuery>;

export const tag = z.object({
  name: z.string(),
  digest: z.string(),
  status,
  locked: z.boolean(),
  pushedAt: z.string(),
  pulledAt: z.string().nullable(),
  pullCount: z.number().int(),
  /** The scan of the artifact the tag points at. */
  scan: scanOverview.optional(),
});
export type Tag = z.infer<typeof tag>;

export const listTagsQuery = pageQuery.extend({
  sort: z.enum(['name', 'pushedAt', 'pulledAt', 'pullCount']).default('name'),
  order: sortOrder.default('asc'),
  q: z.string().max(128).optional(),
});
export type ListTagsQuery = z.infer<typeof listTagsQuery>;

/** A change to an image: its description, its lock, or both. */
export const updateImageRequest = z
  .strictObject({
    description: z.string().max(4096).optional(),
    locked: z.boolean().optional(),
  })
  .refine((r) => r.description !== undefined || r.locked !== undefined, { message: 'give description or locked' });
export type UpdateImageRequest = z.infer<typeof updateImageRequest>;

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export type Page<T> = { items: T[]; nextCursor: string | null };
