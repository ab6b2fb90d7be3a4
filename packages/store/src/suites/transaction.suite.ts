import { describe, expect, it } from 'vitest';
import type { KyselyStore } from '../kysely-store.ts';
import type { PullTally } from '../types.ts';
import { at, digest, openEach, push, type OpenStore } from './fixtures.ts';

const team = { name: 'team', description: '', at: at(0), actor: 'a' };
const where = { repository: 'team', image: 'app' };
const pulls = (n: number): PullTally => ({
  ...where,
  count: n,
  lastAt: at(8),
  artifacts: new Map([[digest(1), { count: n, lastAt: at(8) }]]),
  tags: new Map([['v1', { count: n, lastAt: at(8) }]]),
});

/** `store.transaction(fn)`: all of fn's writes, or none. `open` gives a fresh, migrated store for each test. */
export function transactionSuite(label: string, open: OpenStore): void {
  describe(`store transaction: ${label}`, () => {
    let store: KyselyStore;
    openEach(open, (s) => (store = s));

    const auditRows = () => store.db.selectFrom('audit_log').select(['action', 'target']).execute();
    const jobRows = () => store.db.selectFrom('jobs').select(['kind', 'status']).execute();
    const statuses = async (imageId: number) => ({
      artifacts: (await store.images.listArtifacts(imageId, { limit: 10, sort: 'pushedAt', order: 'asc' })).items.map((a) => [a.digest, a.status]),
      tags: (await store.images.listTags(imageId, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status]),
    });

    it('commits every write of fn when it resolves, and returns what fn returns', async () => {
      const jobId = await store.transaction(async (tx) => {
        const repo = await tx.repositories.create(team);
        await tx.images.recordPush(push({ digest: digest(1), tag: 'v1' }));
        await tx.audit.record({ at: at(1), actor: 'a', action: 'repository.create', target: 'team' });
        const job = await tx.jobs.enqueue({ kind: 'scan', dedupeKey: 'scan:team/app' }, at(1));
        // fn reads its own writes.
        expect(await tx.images.get(repo.id, 'app')).toMatchObject({ artifactCount: 1, tagCount: 1 });
        return job!.id;
      });
      const repo = (await store.repositories.get('team'))!;
      expect(repo.imageCount).toBe(1);
      expect(await store.images.get(repo.id, 'app')).toMatchObject({ artifactCount: 1, tagCount: 1, pushedAt: at(1) });
      expect(await auditRows()).toEqual([{ action: 'repository.create', target: 'team' }]);
      expect(await store.jobs.get(jobId)).toMatchObject({ kind: 'scan', status: 'queued', dedupeKey: 'scan:team/app' });
    });

    it('rolls back every write of fn when it throws, and the store goes on working', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.repositories.create(team);
          await tx.images.recordPush(push({ digest: digest(1), tag: 'v1' }));
          await tx.audit.record({ at: at(1), actor: 'a', action: 'repository.create', target: 'team' });
          await tx.jobs.enqueue({ kind: 'scan' }, at(1));
          await tx.settings.put('k', 'v');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await store.repositories.get('team')).toBeNull();
      expect((await store.repositories.list({ limit: 10, sort: 'name', order: 'asc' })).items).toEqual([]);
      expect(await store.images.catalog(null, 10, undefined)).toEqual([]);
      expect(await auditRows()).toEqual([]);
      expect(await jobRows()).toEqual([]);
      expect(await store.settings.get('k')).toBeNull();
      // Nothing is left open: the store writes, and a second transaction commits.
      await store.repositories.create(team);
      await store.transaction(async (tx) => tx.images.recordPush(push({ digest: digest(1), tag: 'v1' })));
      expect(await store.images.catalog(null, 10, undefined)).toEqual(['team/app']);
    });

    it('runs the methods that take a transaction of their own inside it', async () => {
      const repo = await store.repositories.create(team);
      const user = await store.repositoryUsers.create({ repositoryId: repo.id, name: 'ci', permission: 'push', secretHash: 'h', expiresAt: null, at: at(0), actor: 'a' });
      await store.transaction(async (tx) => {
        for (const n of [1, 2, 3]) await tx.images.recordPush(push({ digest: digest(n), tag: `v${n}`, at: at(n) }));
        expect(await tx.images.setArtifactStatus({ ...where, digest: digest(1), status: 'Deleting' })).toBe(true);
        expect(await tx.images.setTagStatus({ ...where, tag: 'v2', status: 'Inactive' })).toBe(true);
        expect(await tx.images.recordDelete({ ...where, digest: digest(3), at: at(4) })).toBe(true);
        await tx.images.removeTags((await tx.images.get(repo.id, 'app'))!.id, ['v2']);
        await tx.pulls.apply([pulls(2)]);
        await tx.repositoryUsers.touch(new Map([[user.id, at(9)]]));
      });
      const image = (await store.images.get(repo.id, 'app'))!;
      expect(image).toMatchObject({ artifactCount: 2, tagCount: 1, pullCount: 2, pulledAt: at(8) });
      expect(await statuses(image.id)).toEqual({
        artifacts: [
          [digest(1), 'Deleting'],
          [digest(2), 'Active'],
        ],
        tags: [['v1', 'Deleting']],
      });
      expect((await store.images.getArtifact(image.id, digest(1)))?.pullCount).toBe(2);
      expect((await store.repositoryUsers.getById(user.id))?.lastUsedAt).toBe(at(9));
    });

    it('rolls back what those methods wrote inside it when fn throws', async () => {
      const repo = await store.repositories.create(team);
      const user = await store.repositoryUsers.create({ repositoryId: repo.id, name: 'ci', permission: 'push', secretHash: 'h', expiresAt: null, at: at(0), actor: 'a' });
      for (const n of [1, 2]) await store.images.recordPush(push({ digest: digest(n), tag: `v${n}`, at: at(n) }));
      const image = (await store.images.get(repo.id, 'app'))!;
      const before = await statuses(image.id);
      await expect(
        store.transaction(async (tx) => {
          await tx.images.recordPush(push({ digest: digest(3), tag: 'v3', at: at(3) }));
          await tx.images.setArtifactStatus({ ...where, digest: digest(1), status: 'Deleting' });
          await tx.images.setTagStatus({ ...where, tag: 'v2', status: 'Inactive' });
          await tx.images.recordDelete({ ...where, digest: digest(2), at: at(4) });
          await tx.images.removeTags(image.id, ['v1']);
          await tx.pulls.apply([pulls(2)]);
          await tx.repositoryUsers.touch(new Map([[user.id, at(9)]]));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await store.images.get(repo.id, 'app')).toEqual(image);
      expect(await statuses(image.id)).toEqual(before);
      expect(before).toEqual({
        artifacts: [
          [digest(1), 'Active'],
          [digest(2), 'Active'],
        ],
        tags: [
          ['v1', 'Active'],
          ['v2', 'Active'],
        ],
      });
      expect(await store.images.getArtifact(image.id, digest(3))).toBeNull();
      expect((await store.repositoryUsers.getById(user.id))?.lastUsedAt).toBeNull();
    });
  });
}
