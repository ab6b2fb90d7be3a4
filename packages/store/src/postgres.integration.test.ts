import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, startPostgres, type Postgres } from '@berth/testkit';
import { BerthMigrations } from './migrations.ts';
import { createPostgresStore } from './postgres.ts';
import { storeSuites } from './suites/all.ts';
import { at, digest, push } from './suites/fixtures.ts';
import { upgradeSuite } from './suites/upgrade.suite.ts';

// One throwaway cluster for this file (no mocks, no skips: without PostgreSQL 15 this
// fails with the setup hint), and a fresh database for every test.
let server: Postgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

let databases = 0;
/**
 * A new database whose default collation is ICU `en-US`, not the cluster's C: the store
 * must sort the same as SQLite whatever the database's collation is.
 */
const freshDatabase = () => createDatabase(server.url, `store_${++databases}`, { icuLocale: 'en-US' });

storeSuites('postgres', async () => {
  const store = createPostgresStore(await freshDatabase());
  await store.migrate();
  return store;
});

upgradeSuite('postgres', async () => createPostgresStore(await freshDatabase()));

describe('postgres store: several instances on one database', () => {
  it('migrates when several stores start at once', async () => {
    const url = await freshDatabase();
    const stores = Array.from({ length: 5 }, () => createPostgresStore(url));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const applied = await stores[0]!.db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never).execute();
      const expected = Object.keys(await new BerthMigrations('postgres').getMigrations()).sort();
      expect(applied).toEqual(expected.map((name) => ({ name })));
      await stores[1]!.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      expect((await stores[4]!.repositories.get('team'))?.name).toBe('team');
      await stores[2]!.migrate(); // a later start finds nothing to do
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps image counts right when instances index pushes, deletes and pulls of one image at once', async () => {
    const url = await freshDatabase();
    const [a, b] = [createPostgresStore(url), createPostgresStore(url)];
    try {
      await a.migrate();
      await b.migrate();
      await a.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const repoId = (await a.repositories.get('team'))!.id;
      // The first push of a new image from both instances at once.
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).images.recordPush(push({ digest: digest(i + 1), tag: `t${i}` }))));
      const imageId = (await a.images.get(repoId, 'app'))!.id;
      // Then pushes, deletes and tag removals of that image, spread over both instances.
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).images.recordPush(push({ digest: digest(i + 21), tag: `u${i}` }))),
        ...Array.from({ length: 10 }, (_, i) => (i % 2 ? b : a).images.recordDelete({ repository: 'team', image: 'app', digest: digest(i + 1), at: at(2) })),
        ...Array.from({ length: 5 }, (_, i) => (i % 2 ? a : b).images.removeTags(imageId, [`t${i + 10}`])),
      ]);
      expect(await a.images.get(repoId, 'app')).toMatchObject({ artifactCount: 30, tagCount: 25 });
      // Pull flushes from two instances naming the images in opposite orders: no deadlock.
      await a.images.recordPush(push({ image: 'other', digest: digest(100), tag: 'v' }));
      const tally = (image: string) => ({ repository: 'team', image, count: 1, lastAt: at(50), artifacts: new Map(), tags: new Map() });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a.pulls.apply([tally('app'), tally('other')]) : b.pulls.apply([tally('other'), tally('app')]))),
      );
      expect(await b.images.get(repoId, 'app')).toMatchObject({ pullCount: 10, lastModifiedAt: at(50) });
      expect((await b.images.get(repoId, 'other'))!.pullCount).toBe(10);
      expect((await a.repositories.list({ limit: 10, sort: 'name', order: 'asc' })).items[0]!.imageCount).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
