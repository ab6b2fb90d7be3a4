import { describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import type { KyselyStore } from '../kysely-store.ts';
import { BerthMigrations } from '../migrations.ts';
import { at, digest } from './fixtures.ts';

/**
 * Upgrades of a store that holds data, on every adapter. `openBlank` gives a fresh store
 * with no migration applied yet.
 */
export function upgradeSuite(label: string, openBlank: () => Promise<KyselyStore>): void {
  describe(`store upgrades: ${label}`, () => {
    it('gives the artifacts and tags that exist before the status migration the status Active', async () => {
      const store = await openBlank();
      try {
        const { error } = await new Migrator({ db: store.db, provider: new BerthMigrations(store.dialect) }).migrateTo('003_list_indexes');
        if (error) throw error;
        await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
        // Rows as the store wrote them before: no status column yet.
        await store.db.transaction().execute(async (trx) => {
          await sql`insert into images (repository_id, name, description, status, artifact_count, tag_count, pull_count, last_modified_at, created_at, created_by, updated_at, updated_by)
            select id, 'app', '', 'Active', 1, 1, 0, ${at(1)}, ${at(1)}, 'a', ${at(1)}, 'a' from repositories`.execute(trx);
          await sql`insert into artifacts (image_id, digest, media_type, size, platforms, pushed_at, pull_count)
            select id, ${digest(1)}, 'application/vnd.oci.image.manifest.v1+json', 10, '[]', ${at(1)}, 0 from images`.execute(trx);
          await sql`insert into tags (image_id, artifact_id, name, pushed_at, pull_count)
            select image_id, id, 'v1', ${at(1)}, 0 from artifacts`.execute(trx);
        });
        await store.migrate();
        const image = (await store.images.get((await store.repositories.id('team'))!, 'app'))!;
        expect((await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items.map((a) => [a.digest, a.status])).toEqual([
          [digest(1), 'Active'],
        ]);
        expect((await store.images.listTags(image.id, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status])).toEqual([['v1', 'Active']]);
        // And new rows can be marked.
        expect(await store.images.setTagStatus({ repository: 'team', image: 'app', tag: 'v1', status: 'Deleting' })).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('lists the referrers recorded before the descriptor migration without a descriptor, to be filled from the registry', async () => {
      const store = await openBlank();
      try {
        const { error } = await new Migrator({ db: store.db, provider: new BerthMigrations(store.dialect) }).migrateTo('008_registries');
        if (error) throw error;
        await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
        await store.images.recordPush({ repository: 'team', image: 'app', digest: digest(1), mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: null, size: 10, platforms: [], children: [], subject: null, tag: 'v1', at: at(1), actor: 'a' });
        // A signature as 008 recorded it: its subject, no descriptor columns yet.
        await sql`insert into artifacts (image_id, digest, media_type, artifact_type, size, platforms, pushed_at, pull_count, subject)
          select id, ${digest(2)}, 'application/vnd.oci.image.manifest.v1+json', 'application/example', 20, '[]', ${at(2)}, 0, ${digest(1)} from images`.execute(store.db);
        await store.migrate();
        const image = (await store.images.get((await store.repositories.id('team'))!, 'app'))!;
        expect(await store.images.referrers(image.id, digest(1))).toEqual([
          { digest: digest(2), mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/example', descriptor: null },
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
