// The rows behind the images aggregate (images.ts), and how they read as records.
import type { Selectable } from 'kysely';
import type { Platform } from '@berth/api';
import type { ArtifactsTable, ImagesTable } from './schema.ts';
import type { Db } from './sql-helpers.ts';
import type { ArtifactRecord, ChildRecord, ImageRecord, Status } from './types.ts';

type ImageRow = Selectable<ImagesTable> & { repository: string };
type ArtifactRow = Selectable<ArtifactsTable>;

export const IMAGE_SORT = {
  name: { col: 'images.name', kind: 'string' },
  artifactCount: { col: 'images.artifact_count', kind: 'number' },
  pullCount: { col: 'images.pull_count', kind: 'number' },
  lastModifiedAt: { col: 'images.last_modified_at', kind: 'string' },
} as const;

export const ARTIFACT_SORT = {
  pushedAt: { col: 'artifacts.pushed_at', nullable: false, kind: 'string' },
  pulledAt: { col: 'artifacts.pulled_at', nullable: true, kind: 'string' },
  pullCount: { col: 'artifacts.pull_count', nullable: false, kind: 'number' },
  size: { col: 'artifacts.size', nullable: false, kind: 'number' },
} as const;

export const TAG_SORT = {
  name: { col: 'tags.name', nullable: false, kind: 'string' },
  pushedAt: { col: 'tags.pushed_at', nullable: false, kind: 'string' },
  pulledAt: { col: 'tags.pulled_at', nullable: true, kind: 'string' },
  pullCount: { col: 'tags.pull_count', nullable: false, kind: 'number' },
} as const;

export function imageQuery(db: Db) {
  return db
    .selectFrom('images')
    .innerJoin('repositories', 'repositories.id', 'images.repository_id')
    .selectAll('images')
    .select('repositories.name as repository');
}

export function toImage(r: ImageRow): ImageRecord {
  return {
    id: r.id,
    repositoryId: r.repository_id,
    repository: r.repository,
    name: r.name,
    description: r.description,
    status: r.status as ImageRecord['status'],
    locked: r.locked === 1,
    artifactCount: Number(r.artifact_count),
    tagCount: Number(r.tag_count),
    pullCount: Number(r.pull_count),
    pushedAt: r.pushed_at,
    pulledAt: r.pulled_at,
    lastModifiedAt: r.last_modified_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/** Top-level artifacts: not a child of another artifact of the image, unless tagged. */
export function topLevel(db: Db, imageId: number) {
  return db
    .selectFrom('artifacts')
    .selectAll('artifacts')
    .where('artifacts.image_id', '=', imageId)
    .where((eb) =>
      eb.or([
        eb.not(
          eb.exists(
            eb
              .selectFrom('artifact_children')
              .select('artifact_children.position')
              .whereRef('artifact_children.image_id', '=', 'artifacts.image_id')
              .whereRef('artifact_children.child_digest', '=', 'artifacts.digest'),
          ),
        ),
        eb.exists(eb.selectFrom('tags').select('tags.id').whereRef('tags.artifact_id', '=', 'artifacts.id')),
      ]),
    );
}

/** Artifact rows as records, with their tags (and the status of those not Active) and children. */
export async function decorate(db: Db, rows: ArtifactRow[]): Promise<ArtifactRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [tagRows, childRows] = await Promise.all([
    db.selectFrom('tags').select(['artifact_id', 'name', 'status', 'locked']).where('artifact_id', 'in', ids).orderBy('name').execute(),
    db.selectFrom('artifact_children').selectAll().where('parent_id', 'in', ids).orderBy('parent_id').orderBy('position').execute(),
  ]);
  const tags = new Map<number, string[]>();
  const tagStatus = new Map<number, Record<string, Status>>();
  const lockedTags = new Map<number, string[]>();
  for (const t of tagRows) {
    tags.set(t.artifact_id, [...(tags.get(t.artifact_id) ?? []), t.name]);
    if (t.locked === 1) lockedTags.set(t.artifact_id, [...(lockedTags.get(t.artifact_id) ?? []), t.name]);
    if (t.status === 'Active') continue;
    const statuses = tagStatus.get(t.artifact_id) ?? {};
    statuses[t.name] = t.status as Status;
    tagStatus.set(t.artifact_id, statuses);
  }
  const children = new Map<number, ChildRecord[]>();
  for (const c of childRows) {
    const list = children.get(c.parent_id) ?? [];
    list.push({
      digest: c.child_digest,
      mediaType: c.media_type,
      size: Number(c.size),
      platform: c.platform ? (JSON.parse(c.platform) as Platform) : null,
    });
    children.set(c.parent_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    digest: r.digest,
    mediaType: r.media_type,
    artifactType: r.artifact_type,
    size: Number(r.size),
    platforms: JSON.parse(r.platforms) as Platform[],
    pushedAt: r.pushed_at,
    pulledAt: r.pulled_at,
    pullCount: Number(r.pull_count),
    status: r.status as Status,
    tags: tags.get(r.id) ?? [],
    tagStatus: tagStatus.get(r.id) ?? {},
    lockedTags: lockedTags.get(r.id) ?? [],
    subject: r.subject,
    children: children.get(r.id) ?? [],
  }));
}

export async function artifactId(db: Db, imageId: number, digest: string): Promise<number | null> {
  const row = await db.selectFrom('artifacts').select('id').where('image_id', '=', imageId).where('digest', '=', digest).executeTakeFirst();
  return row?.id ?? null;
}

/** Recounts the image's top-level artifacts and tags, after a push or a delete. */
export async function refreshImageCounts(trx: Db, imageId: number): Promise<void> {
  const artifacts = await topLevel(trx, imageId)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const tags = await trx
    .selectFrom('tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('image_id', '=', imageId)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('images')
    .set({ artifact_count: Number(artifacts.n), tag_count: Number(tags.n) })
    .where('id', '=', imageId)
    .execute();
}
