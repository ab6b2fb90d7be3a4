import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { at, openEach, type OpenStore } from './fixtures.ts';

/** Repository users: secrets, patches, last use. `open` gives a fresh, migrated store for each test. */
export function repositoryUsersSuite(label: string, open: OpenStore): void {
  describe(`store repository users: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    it('finds a repository user by secret hash and applies patches', async () => {
      const repo = await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const u = await store.repositoryUsers.create({
        repositoryId: repo.id,
        name: 'ci',
        permission: 'pull',
        secretHash: 'h1',
        expiresAt: null,
        at: at(0),
        actor: 'a',
      });
      expect((await store.repositoryUsers.findBySecret('h1'))?.name).toBe('ci');
      await store.repositoryUsers.update(u.id, { secretHash: 'h2', permission: 'push', disabled: true });
      expect(await store.repositoryUsers.findBySecret('h1')).toBeNull();
      expect(await store.repositoryUsers.findBySecret('h2')).toMatchObject({ permission: 'push', disabled: true, repository: 'team' });
      await expect(
        store.repositoryUsers.create({ repositoryId: repo.id, name: 'ci', permission: 'pull', secretHash: 'h3', expiresAt: null, at: at(0), actor: 'a' }),
      ).rejects.toThrow(/already exists/);
    });

    it('moves the last use of a user forward, never back', async () => {
      const repo = await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const u = await store.repositoryUsers.create({ repositoryId: repo.id, name: 'ci', permission: 'push', secretHash: 'h', expiresAt: null, at: at(0), actor: 'a' });
      expect(u.lastUsedAt).toBeNull();
      const lastUsed = async () => (await store.repositoryUsers.getById(u.id))?.lastUsedAt;
      await store.repositoryUsers.touch(new Map([[u.id, at(5)]]));
      expect(await lastUsed()).toBe(at(5));
      await store.repositoryUsers.touch(new Map([[u.id, at(3)], [u.id + 1, at(3)]]));
      expect(await lastUsed()).toBe(at(5));
      await store.repositoryUsers.touch(new Map([[u.id, at(7)]]));
      await store.repositoryUsers.touch(new Map());
      expect(await lastUsed()).toBe(at(7));
    });
  });
}
