import type { Db } from './sql-helpers.ts';
import type { LockRecord, LocksStore } from './types.ts';

/** Image and tag locks, as columns of the image and tag rows. */
export class KyselyLocks implements LocksStore {
  constructor(private readonly db: Db) {}

  async state(imageId: number): Promise<LockRecord> {
    const [image, tags] = await Promise.all([
      this.db.selectFrom('images').select('locked').where('id', '=', imageId).executeTakeFirst(),
      this.lockedTags(imageId),
    ]);
    return { imageId, imageLocked: image?.locked === 1, lockedTags: tags };
  }

  async stateByName(repository: string, image: string): Promise<LockRecord | null> {
    const row = await this.db
      .selectFrom('images')
      .innerJoin('repositories', 'repositories.id', 'images.repository_id')
      .select(['images.id', 'images.locked'])
      .where('repositories.name', '=', repository)
      .where('images.name', '=', image)
      .executeTakeFirst();
    if (!row) return null;
    return { imageId: row.id, imageLocked: row.locked === 1, lockedTags: await this.lockedTags(row.id) };
  }

  private async lockedTags(imageId: number): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('tags')
      .innerJoin('artifacts', 'artifacts.id', 'tags.artifact_id')
      .select(['tags.name', 'artifacts.digest'])
      .where('tags.image_id', '=', imageId)
      .where('tags.locked', '=', 1)
      .execute();
    return new Map(rows.map((r) => [r.name, r.digest]));
  }

  async setImage(imageId: number, locked: boolean, at: string, actor: string): Promise<boolean> {
    const res = await this.db
      .updateTable('images')
      .set({ locked: locked ? 1 : 0, updated_at: at, updated_by: actor })
      .where('id', '=', imageId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async setTag(imageId: number, tag: string, locked: boolean): Promise<boolean> {
    const res = await this.db
      .updateTable('tags')
      .set({ locked: locked ? 1 : 0 })
      .where('image_id', '=', imageId)
      .where('name', '=', tag)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
