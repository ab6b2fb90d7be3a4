import { describe, expect, it } from 'vitest';
import { ConflictError, type NewRegistry, type Store } from '../types.ts';
import { at, openEach, type OpenStore } from './fixtures.ts';

const external = (name: string, over: Partial<NewRegistry> = {}): NewRegistry => ({
  name,
  kind: 'external',
  type: 'registry',
  url: `https://${name}.example.test`,
  engine: null,
  mode: 'read-write',
  repository: null,
  username: 'robot',
  secret: 'sealed:opaque',
  insecure: false,
  at: at(1),
  actor: 'admin',
  ...over,
});

/** Registries: the managed row written at each start, external ones added, paged managed-first, changed and removed. */
export function registriesSuite(label: string, open: OpenStore): void {
  describe(`store registries: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    it('keeps one managed row, updating its URL and engine at each start', async () => {
      await store.registries.putManaged({ name: 'default', url: 'http://127.0.0.1:1', engine: 'embedded', at: at(1) });
      const again = await store.registries.putManaged({ name: 'default', url: 'http://127.0.0.1:2', engine: 'upstream', at: at(2) });
      expect(again).toMatchObject({ kind: 'managed', type: 'managed', url: 'http://127.0.0.1:2', engine: 'upstream', createdAt: at(1), secret: null });
      expect((await store.registries.list({ limit: 10 })).items.map((r) => r.name)).toEqual(['default']);
      expect(await store.registries.delete('default')).toBe(false);
      expect(await store.registries.get('default')).not.toBeNull();
    });

    it('lists the managed registry first, then the others by name, in pages', async () => {
      for (const n of ['zeta', 'alpha', 'mid']) await store.registries.create(external(n));
      await store.registries.putManaged({ name: 'default', url: 'http://127.0.0.1:1', engine: 'embedded', at: at(1) });
      const first = await store.registries.list({ limit: 2 });
      expect(first.items.map((r) => r.name)).toEqual(['default', 'alpha']);
      const second = await store.registries.list({ limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((r) => r.name)).toEqual(['mid', 'zeta']);
      expect(second.nextCursor).toBeNull();
      expect((await store.registries.list({ limit: 10, q: 'MI' })).items.map((r) => r.name)).toEqual(['mid']);
      expect((await store.registries.list({ limit: 10, q: 'zeta.example' })).items.map((r) => r.name)).toEqual(['zeta']);
    });

    it('refuses a name that is taken', async () => {
      await store.registries.create(external('hub'));
      await expect(store.registries.create(external('hub'))).rejects.toBeInstanceOf(ConflictError);
    });

    it('changes the account and records tests without touching the rest', async () => {
      await store.registries.create(external('lab', { insecure: true, repository: 'team' }));
      const tested = await store.registries.update('lab', { lastTest: '{"ok":true}' });
      expect(tested).toMatchObject({ lastTest: '{"ok":true}', updatedAt: at(1), updatedBy: 'admin', username: 'robot' });
      const changed = await store.registries.update('lab', { username: 'other', secret: null, mode: 'pull-only' }, { at: at(5), actor: 'root' });
      expect(changed).toMatchObject({ username: 'other', secret: null, mode: 'pull-only', insecure: true, repository: 'team', updatedAt: at(5), updatedBy: 'root' });
      expect(await store.registries.update('missing', { username: 'x' })).toBeNull();
      expect(await store.registries.delete('lab')).toBe(true);
      expect(await store.registries.get('lab')).toBeNull();
    });
  });
}
