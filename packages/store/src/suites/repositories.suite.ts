import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { at, openEach, type OpenStore } from './fixtures.ts';

/** Repositories: unique names, keyset paging, filters. `open` gives a fresh, migrated store for each test. */
export function repositoriesSuite(label: string, open: OpenStore): void {
  describe(`store repositories: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    it('refuses a second repository with the same name', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await expect(store.repositories.create({ name: 'team', description: 'x', at: at(0), actor: 'a' })).rejects.toThrow(/already exists/);
      expect((await store.repositories.list({ limit: 10, sort: 'name', order: 'asc' })).items).toHaveLength(1);
      expect(await store.repositories.id('team')).toBe((await store.repositories.get('team'))!.id);
      expect(await store.repositories.id('nobody')).toBeNull();
    });

    it('pages repositories with an opaque cursor and filters by name', async () => {
      expect(await store.repositories.count()).toBe(0);
      for (const n of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
        await store.repositories.create({ name: n, description: '', at: at(0), actor: 'a' });
      }
      expect(await store.repositories.count()).toBe(5);
      const first = await store.repositories.list({ limit: 2, sort: 'name', order: 'asc' });
      expect(first.items.map((r) => r.name)).toEqual(['alpha', 'beta']);
      const second = await store.repositories.list({ limit: 2, sort: 'name', order: 'asc', cursor: first.nextCursor! });
      expect(second.items.map((r) => r.name)).toEqual(['delta', 'epsilon']);
      const third = await store.repositories.list({ limit: 2, sort: 'name', order: 'asc', cursor: second.nextCursor! });
      expect(third.items.map((r) => r.name)).toEqual(['gamma']);
      expect(third.nextCursor).toBeNull();
      const filtered = await store.repositories.list({ limit: 10, sort: 'name', order: 'asc', q: 'ta' });
      expect(filtered.items.map((r) => r.name)).toEqual(['beta', 'delta']);
      await expect(store.repositories.list({ limit: 2, sort: 'name', order: 'asc', cursor: 'garbage' })).rejects.toThrow(/cursor/);
    });

    it('filters names with LIKE wildcards taken literally', async () => {
      for (const n of ['a_b', 'axb', 'a%b', 'a\\b']) await store.repositories.create({ name: n, description: '', at: at(0), actor: 'a' });
      const names = async (q: string) => (await store.repositories.list({ limit: 10, sort: 'name', order: 'asc', q })).items.map((r) => r.name);
      expect(await names('_')).toEqual(['a_b']);
      expect(await names('%')).toEqual(['a%b']);
      expect(await names('\\')).toEqual(['a\\b']);
      expect(await names('A_B')).toEqual(['a_b']);
    });
  });
}
