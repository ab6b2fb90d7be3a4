// What the registry API reads of an image from the store: its tag names page by page
// (`tags/list`) and the artifacts that refer to a digest (the referrers API), with the
// descriptor fields those list.
import type { Db } from './sql-helpers.ts';
import type { ManifestDescriptor, ReferrerRecord } from './types.ts';

/** Tag names of an image in byte order (both databases compare them so), after `last`, at most `limit`. */
export async function tagNames(db: Db, imageId: number, limit: number | null, last?: string): Promise<string[]> {
  if (limit !== null && limit <= 0) return [];
  let qb = db.selectFrom('tags').select('name').where('image_id', '=', imageId);
  if (last !== undefined) qb = qb.where('name', '>', last);
  qb = qb.orderBy('name');
  if (limit !== null) qb = qb.limit(limit);
  return (await qb.execute()).map((r) => r.name);
}

/** The image's artifacts whose subject is `digest`, in digest order (one read of the (image, subject) index). */
export async function referrersOf(db: Db, imageId: number, digest: string): Promise<ReferrerRecord[]> {
  const rows = await db
    .selectFrom('artifacts')
    .select(['digest', 'media_type', 'artifact_type', 'manifest_size', 'config_media_type', 'annotations'])
    .where('image_id', '=', imageId)
    .where('subject', '=', digest)
    .orderBy('digest')
    .execute();
  return rows.map((r) => ({
    digest: r.digest,
    mediaType: r.media_type,
    artifactType: r.artifact_type,
    descriptor:
      r.manifest_size === null
        ? null
        : {
            manifestSize: Number(r.manifest_size),
            configMediaType: r.config_media_type,
            annotations: r.annotations === null ? null : (JSON.parse(r.annotations) as Record<string, string>),
          },
  }));
}

/** The descriptor columns of an artifact row, as `recordPush` and `setDescriptor` write them. */
export function descriptorColumns(d: ManifestDescriptor): { manifest_size: number; config_media_type: string | null; annotations: string | null } {
  return { manifest_size: d.manifestSize, config_media_type: d.configMediaType, annotations: d.annotations === null ? null : JSON.stringify(d.annotations) };
}

/** Writes the descriptor of one artifact; false when the image has no such artifact. */
export async function setDescriptor(db: Db, imageId: number, digest: string, d: ManifestDescriptor): Promise<boolean> {
  const res = await db.updateTable('artifacts').set(descriptorColumns(d)).where('image_id', '=', imageId).where('digest', '=', digest).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
