import { sql } from 'kysely';
import { inTransaction, laterOf, type Db } from './sql-helpers.ts';
import type { PullTally, PullsStore } from './types.ts';

/** Pull counts: a batch of tallies added in one transaction. */
export class KyselyPulls implements PullsStore {
  constructor(private readonly db: Db) {}

  async apply(tallies: PullTally[]): Promise<void> {
    if (tallies.length === 0) return;
    // Images in name order, so two instances flushing at once lock them in the same order.
    const key = (t: PullTally) => `${t.repository}/${t.image}`;
    const ordered = [...tallies].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    await inTransaction(this.db, async (trx) => {
      for (const t of ordered) {
        const image = await trx
          .selectFrom('images')
          .innerJoin('repositories', 'repositories.id', 'images.repository_id')
          .select('images.id')
          .where('repositories.name', '=', t.repository)
          .where('images.name', '=', t.image)
          .executeTakeFirst();
        if (!image) continue;
        await trx
          .updateTable('images')
          .set({
            pull_count: sql`pull_count + ${t.count}`,
            pulled_at: laterOf('pulled_at', t.lastAt),
            last_modified_at: laterOf('last_modified_at', t.lastAt),
          })
          .where('id', '=', image.id)
          .execute();
        for (const [digest, a] of t.artifacts) {
          await trx
            .updateTable('artifacts')
            .set({ pull_count: sql`pull_count + ${a.count}`, pulled_at: laterOf('pulled_at', a.lastAt) })
            .where('image_id', '=', image.id)
            .where('digest', '=', digest)
            .execute();
        }
        for (const [name, a] of t.tags) {
          await trx
            .updateTable('tags')
            .set({ pull_count: sql`pull_count + ${a.count}`, pulled_at: laterOf('pulled_at', a.lastAt) })
            .where('image_id', '=', image.id)
            .where('name', '=', name)
            .execute();
        }
      }
    });
  }
}
