import { sql, type SqlBool } from 'kysely';
import type { Page } from '@berth/api';
import type { Dialect } from './migrations.ts';
import { encodeCursor, likePattern } from './paging.ts';
import { ARTIFACT_SORT, IMAGE_SORT, TAG_SORT, artifactId, decorate, imageQuery, refreshImageCounts, toImage, topLevel } from './image-rows.ts';
import { after, inTransaction, laterOf, lockImage, lockImageByName, pageOf, sortExpr, type Db } from './sql-helpers.ts';
import { graphOf } from './graph.ts';
import { descriptorColumns, referrersOf, setDescriptor, tagNames } from './referrers.ts';
import type {
  ArtifactRecord,
  GraphArtifact,
  ImageRecord,
  ImagesStore,
  ListQuery,
  ManifestDescriptor,
  ManifestPush,
  ReferrerRecord,
  Status,
  StatusChange,
  TagRecord,
} from './types.ts';

/**
 * Images, their artifacts and tags. SQLite runs one write transaction at a time;
 * PostgreSQL runs them side by side (read committed), so a transaction that rewrites an
 * image's counts or statuses first locks the image's row ({@link lockImage}).
 */
export class KyselyImages implements ImagesStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  async list(repositoryId: number, q: ListQuery<'name' | 'artifactCount' | 'pullCount' | 'lastModifiedAt'>): Promise<Page<ImageRecord>> {
    const { col, kind } = IMAGE_SORT[q.sort];
    let qb = imageQuery(this.db).where('images.repository_id', '=', repositoryId);
    if (q.q) qb = qb.where(sql<SqlBool>`lower(images.name) like ${likePattern(q.q)} escape '\\'`);
    if (q.cursor) qb = qb.where(after(sql`${sql.ref(col)}`, 'images.id', q.order, q.cursor, kind));
    const rows = await qb.orderBy(sql.ref(col), q.order).orderBy('images.id', q.order).limit(q.limit + 1).execute();
    const images = rows.map((r) => toImage(r));
    const key = ({ name: 'name', artifactCount: 'artifactCount', pullCount: 'pullCount', lastModifiedAt: 'lastModifiedAt' } as const)[q.sort];
    return pageOf(images, q.limit, (r) => r[key]);
  }

  async catalog(repositoryIds: number[] | null, n: number, last: string | undefined): Promise<string[]> {
    let qb = this.db
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select(sql<string>`repositories.name || '/' || images.name`.as('full'));
    if (repositoryIds) {
      if (repositoryIds.length === 0) return [];
      qb = qb.where('images.repository_id', 'in', repositoryIds);
    }
    if (last) qb = qb.where(sql<SqlBool>`repositories.name || '/' || images.name > ${last}`);
    const rows = await qb.orderBy('full').limit(n).execute();
    return rows.map((r) => r.full);
  }

  async get(repositoryId: number, name: string): Promise<ImageRecord | null> {
    const r = await imageQuery(this.db).where('images.repository_id', '=', repositoryId).where('images.name', '=', name).executeTakeFirst();
    return r ? toImage(r) : null;
  }

  async update(id: number, patch: { description: string; at: string; actor: string }) {
    await this.db
      .updateTable('images')
      .set({ description: patch.description, updated_at: patch.at, updated_by: patch.actor })
      .where('id', '=', id)
      .execute();
    const r = await imageQuery(this.db).where('images.id', '=', id).executeTakeFirst();
    return r ? toImage(r) : null;
  }

  async listArtifacts(imageId: number, q: ListQuery<'pushedAt' | 'pulledAt' | 'pullCount' | 'size'>): Promise<Page<ArtifactRecord>> {
    const { col, nullable, kind } = ARTIFACT_SORT[q.sort];
    const expr = sortExpr(col, nullable);
    let qb = topLevel(this.db, imageId);
    if (q.q) {
      const pattern = likePattern(q.q);
      qb = qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('tags')
            .select('tags.id')
            .whereRef('tags.artifact_id', '=', 'artifacts.id')
            .where(sql<SqlBool>`lower(tags.name) like ${pattern} escape '\\'`),
        ),
      );
    }
    if (q.cursor) qb = qb.where(after(expr, 'artifacts.id', q.order, q.cursor, kind));
    const rows = await qb.orderBy(expr, q.order).orderBy('artifacts.id', q.order).limit(q.limit + 1).execute();
    const key = ({ pushedAt: 'pushedAt', pulledAt: 'pulledAt', pullCount: 'pullCount', size: 'size' } as const)[q.sort];
    const page = pageOf(rows, q.limit, () => null);
    const items = await decorate(this.db, page.items);
    const last = items[items.length - 1];
    const value = last ? (key === 'pulledAt' ? (last.pulledAt ?? '') : last[key]) : null;
    return { items, nextCursor: page.nextCursor && last ? encodeCursor(value, last.id) : null };
  }

  async getArtifact(imageId: number, digest: string): Promise<ArtifactRecord | null> {
    const rows = await this.db.selectFrom('artifacts').selectAll().where('image_id', '=', imageId).where('digest', '=', digest).execute();
    const [a] = await decorate(this.db, rows);
    return a ?? null;
  }

  /** Tag rows of an image joined with their digest, as records carry them (plus the row id, for paging). */
  private tagRows(imageId: number) {
    return this.db
      .selectFrom('tags')
      .innerJoin('artifacts', 'artifacts.id', 'tags.artifact_id')
      .select(['tags.id', 'tags.name', 'artifacts.digest', 'tags.status', 'tags.locked', 'tags.pushed_at', 'tags.pulled_at', 'tags.pull_count'])
      .where('tags.image_id', '=', imageId);
  }

  async listTags(imageId: number, q: ListQuery<'name' | 'pushedAt' | 'pulledAt' | 'pullCount'>): Promise<Page<TagRecord>> {
    const { col, nullable, kind } = TAG_SORT[q.sort];
    const expr = sortExpr(col, nullable);
    let qb = this.tagRows(imageId);
    if (q.q) qb = qb.where(sql<SqlBool>`lower(tags.name) like ${likePattern(q.q)} escape '\\'`);
    if (q.cursor) qb = qb.where(after(expr, 'tags.id', q.order, q.cursor, kind));
    const rows = await qb.orderBy(expr, q.order).orderBy('tags.id', q.order).limit(q.limit + 1).execute();
    const tags = rows.map((r) => ({ id: r.id, ...toTag(r) }));
    const key = ({ name: 'name', pushedAt: 'pushedAt', pulledAt: 'pulledAt', pullCount: 'pullCount' } as const)[q.sort];
    const page = pageOf(tags, q.limit, (r) => (key === 'pulledAt' ? (r.pulledAt ?? '') : r[key]));
    return { items: page.items.map(({ id: _id, ...t }) => t), nextCursor: page.nextCursor };
  }

  async getTag(imageId: number, name: string): Promise<TagRecord | null> {
    const row = await this.tagRows(imageId).where('tags.name', '=', name).executeTakeFirst();
    return row ? toTag(row) : null;
  }

  async tagMap(imageId: number): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('tags')
      .innerJoin('artifacts', 'artifacts.id', 'tags.artifact_id')
      .select(['tags.name', 'artifacts.digest'])
      .where('tags.image_id', '=', imageId)
      .execute();
    return new Map(rows.map((r) => [r.name, r.digest]));
  }

  async untaggedDigests(imageId: number): Promise<string[]> {
    const rows = await topLevel(this.db, imageId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('tags').select('tags.id').whereRef('tags.artifact_id', '=', 'artifacts.id'))))
      .orderBy('artifacts.digest')
      .execute();
    return rows.map((r) => r.digest);
  }

  async tagNames(imageId: number, limit: number | null, last?: string): Promise<string[]> {
    return tagNames(this.db, imageId, limit, last);
  }

  async referrers(imageId: number, digest: string): Promise<ReferrerRecord[]> {
    return referrersOf(this.db, imageId, digest);
  }

  async setDescriptor(imageId: number, digest: string, descriptor: ManifestDescriptor): Promise<boolean> {
    return setDescriptor(this.db, imageId, digest, descriptor);
  }

  async recordPush(p: ManifestPush): Promise<void> {
    const descriptor = p.descriptor ? descriptorColumns(p.descriptor) : {};
    await inTransaction(this.db, async (trx) => {
      const repo = await trx.selectFrom('repositories').select('id').where('name', '=', p.repository).executeTakeFirst();
      if (!repo) throw new Error(`repository ${p.repository} does not exist`);
      let imageId = await lockImage(trx, this.dialect, { repositoryId: repo.id, name: p.image });
      if (imageId === null) {
        // A concurrent first push of the same image may insert it first: then do nothing.
        await trx
          .insertInto('images')
          .values({
            repository_id: repo.id,
            name: p.image,
            description: '',
            status: 'Active',
            artifact_count: 0,
            tag_count: 0,
            pull_count: 0,
            pushed_at: p.at,
            pulled_at: null,
            last_modified_at: p.at,
            created_at: p.at,
            created_by: p.actor,
            updated_at: p.at,
            updated_by: p.actor,
          })
          .onConflict((oc) => oc.columns(['repository_id', 'name']).doNothing())
          .execute();
        imageId = await lockImage(trx, this.dialect, { repositoryId: repo.id, name: p.image });
        if (imageId === null) throw new Error(`image ${p.repository}/${p.image} vanished while it was pushed`);
      }
      await trx
        .insertInto('artifacts')
        .values({
          image_id: imageId,
          digest: p.digest,
          media_type: p.mediaType,
          artifact_type: p.artifactType,
          size: p.size,
          platforms: JSON.stringify(p.platforms),
          pushed_at: p.at,
          pulled_at: null,
          pull_count: 0,
          status: 'Active',
          subject: p.subject,
          ...descriptor,
        })
        .onConflict((oc) =>
          oc.columns(['image_id', 'digest']).doUpdateSet({
            media_type: p.mediaType,
            artifact_type: p.artifactType,
            subject: p.subject,
            ...descriptor,
            size: p.size,
            platforms: JSON.stringify(p.platforms),
            // Pushed again: a Deleting or Inactive artifact is Active again.
            status: 'Active',
          }),
        )
        .execute();
      const pushedId = await artifactId(trx, imageId, p.digest);
      if (pushedId === null) throw new Error(`artifact ${p.digest} vanished while it was pushed`);
      await trx.deleteFrom('artifact_children').where('parent_id', '=', pushedId).execute();
      if (p.children.length > 0) {
        await trx
          .insertInto('artifact_children')
          .values(
            p.children.map((c, position) => ({
              image_id: imageId,
              parent_id: pushedId,
              child_digest: c.digest,
              media_type: c.mediaType,
              size: c.size,
              platform: c.platform ? JSON.stringify(c.platform) : null,
              position,
            })),
          )
          .execute();
      }
      if (p.tag) {
        await trx
          .insertInto('tags')
          .values({ image_id: imageId, artifact_id: pushedId, name: p.tag, pushed_at: p.at, pulled_at: null, pull_count: 0, status: 'Active' })
          .onConflict((oc) => oc.columns(['image_id', 'name']).doUpdateSet({ artifact_id: pushedId, pushed_at: p.at, status: 'Active' }))
          .execute();
      }
      await trx
        .updateTable('images')
        .set({ pushed_at: p.at, last_modified_at: laterOf('last_modified_at', p.at) })
        .where('id', '=', imageId)
        .execute();
      await refreshImageCounts(trx, imageId);
    });
  }

  /**
   * Statuses change under the image's row lock too, like pushes and deletes of the image,
   * so a push that makes an artifact Active and a failed delete that makes it Inactive
   * take turns.
   */
  async setArtifactStatus(p: StatusChange & { digest: string }): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const imageId = await lockImageByName(trx, this.dialect, p.repository, p.image);
      if (imageId === null) return false;
      const id = await artifactId(trx, imageId, p.digest);
      if (id === null) return false;
      let own = trx.updateTable('artifacts').set({ status: p.status }).where('id', '=', id);
      if (p.from) own = own.where('status', '=', p.from);
      const changed = Number((await own.executeTakeFirst()).numUpdatedRows) > 0;
      let tags = trx.updateTable('tags').set({ status: p.status }).where('artifact_id', '=', id);
      if (p.from) tags = tags.where('status', '=', p.from);
      await tags.execute();
      return changed;
    });
  }

  async setTagStatus(p: StatusChange & { tag: string }): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const imageId = await lockImageByName(trx, this.dialect, p.repository, p.image);
      if (imageId === null) return false;
      let qb = trx.updateTable('tags').set({ status: p.status }).where('image_id', '=', imageId).where('name', '=', p.tag);
      if (p.from) qb = qb.where('status', '=', p.from);
      return Number((await qb.executeTakeFirst()).numUpdatedRows) > 0;
    });
  }

  async recordDelete(p: { repository: string; image: string; digest: string; at: string }): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      const imageId = await lockImageByName(trx, this.dialect, p.repository, p.image);
      if (imageId === null) return false;
      const res = await trx.deleteFrom('artifacts').where('image_id', '=', imageId).where('digest', '=', p.digest).executeTakeFirst();
      await refreshImageCounts(trx, imageId);
      return Number(res.numDeletedRows) > 0;
    });
  }

  async removeTags(imageId: number, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await inTransaction(this.db, async (trx) => {
      if ((await lockImage(trx, this.dialect, { id: imageId })) === null) return;
      await trx.deleteFrom('tags').where('image_id', '=', imageId).where('name', 'in', names).execute();
      await refreshImageCounts(trx, imageId);
    });
  }

  async setStatus(imageId: number, status: Status, from?: Status): Promise<boolean> {
    let qb = this.db.updateTable('images').set({ status }).where('id', '=', imageId);
    if (from) qb = qb.where('status', '=', from);
    return Number((await qb.executeTakeFirst()).numUpdatedRows) > 0;
  }

  async inProgress(imageId: number): Promise<string[]> {
    const [artifacts, tags, image] = await Promise.all([
      this.db.selectFrom('artifacts').select('digest').where('image_id', '=', imageId).where('status', '=', 'Deleting').execute(),
      this.db.selectFrom('tags').select('name').where('image_id', '=', imageId).where('status', '=', 'Deleting').execute(),
      this.db.selectFrom('images').select('status').where('id', '=', imageId).executeTakeFirst(),
    ]);
    return [
      ...(image && (image.status === 'Editing' || image.status === 'Deleting') ? ['image'] : []),
      ...artifacts.map((a) => `artifact:${a.digest}`),
      ...tags.map((t) => `tag:${t.name}`),
    ];
  }

  async settleStatuses(imageId: number, keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const digests = keys.filter((k) => k.startsWith('artifact:')).map((k) => k.slice('artifact:'.length));
    const names = keys.filter((k) => k.startsWith('tag:')).map((k) => k.slice('tag:'.length));
    return inTransaction(this.db, async (trx) => {
      if ((await lockImage(trx, this.dialect, { id: imageId })) === null) return 0;
      let changed = 0;
      const count = (r: { numUpdatedRows: bigint }) => (changed += Number(r.numUpdatedRows));
      for (const slice of chunks(digests)) {
        count(await trx.updateTable('artifacts').set({ status: 'Inactive' }).where('image_id', '=', imageId).where('digest', 'in', slice).where('status', '=', 'Deleting').executeTakeFirst());
      }
      for (const slice of chunks(names)) {
        count(await trx.updateTable('tags').set({ status: 'Inactive' }).where('image_id', '=', imageId).where('name', 'in', slice).where('status', '=', 'Deleting').executeTakeFirst());
      }
      if (keys.includes('image')) {
        count(await trx.updateTable('images').set({ status: 'Active' }).where('id', '=', imageId).where('status', '=', 'Editing').executeTakeFirst());
        count(await trx.updateTable('images').set({ status: 'Inactive' }).where('id', '=', imageId).where('status', '=', 'Deleting').executeTakeFirst());
      }
      return changed;
    });
  }

  async delete(imageId: number): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      if ((await lockImage(trx, this.dialect, { id: imageId })) === null) return false;
      const left = await trx.selectFrom('artifacts').select('id').where('image_id', '=', imageId).limit(1).executeTakeFirst();
      if (left) return false;
      const res = await trx.deleteFrom('images').where('id', '=', imageId).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    });
  }

  async graph(imageId: number, digests?: string[]): Promise<GraphArtifact[]> {
    return graphOf(this.db, this.dialect, imageId, digests);
  }
}

function toTag(r: { name: string; digest: string; status: string; locked: number; pushed_at: string; pulled_at: string | null; pull_count: number | string }): TagRecord {
  return {
    name: r.name,
    digest: r.digest,
    status: r.status as Status,
    locked: r.locked === 1,
    pushedAt: r.pushed_at,
    pulledAt: r.pulled_at,
    pullCount: Number(r.pull_count),
  };
}

function chunks<T>(list: T[], size = 10_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
