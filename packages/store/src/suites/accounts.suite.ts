import { describe, expect, it } from 'vitest';
import { ConflictError, type Store } from '../types.ts';
import { at, openEach, type OpenStore } from './fixtures.ts';

/** Accounts and sessions. `open` gives a fresh, migrated store for each test. */
export function accountsSuite(label: string, open: OpenStore): void {
  describe(`store accounts: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    it('creates accounts with unique names and lists them by name', async () => {
      expect(await store.accounts.count()).toBe(0);
      await store.accounts.create({ username: 'zed', passwordHash: 'h1', role: 'viewer', at: at(0) });
      const admin = await store.accounts.create({ username: 'admin', passwordHash: 'h2', role: 'admin', at: at(1) });
      expect(admin).toMatchObject({ username: 'admin', passwordHash: 'h2', role: 'admin', disabled: false, createdAt: at(1) });
      await expect(store.accounts.create({ username: 'admin', passwordHash: 'h3', role: 'viewer', at: at(2) })).rejects.toThrow(ConflictError);
      expect(await store.accounts.count()).toBe(2);
      expect((await store.accounts.list()).map((a) => [a.username, a.role])).toEqual([
        ['admin', 'admin'],
        ['zed', 'viewer'],
      ]);
      expect(await store.accounts.get('admin')).toEqual(admin);
      expect(await store.accounts.get('nobody')).toBeNull();
    });

    it('finds a session with its account until it expires, and not once deleted', async () => {
      const account = await store.accounts.create({ username: 'ann', passwordHash: 'h', role: 'viewer', at: at(0) });
      await store.accounts.createSession({ idHash: 's1', accountId: account.id, csrfToken: 'c1', at: at(0), expiresAt: at(10) });
      expect(await store.accounts.getSession('s1', at(5))).toEqual({
        accountId: account.id,
        username: 'ann',
        role: 'viewer',
        disabled: false,
        csrfToken: 'c1',
        expiresAt: at(10),
      });
      expect(await store.accounts.getSession('s1', at(10))).toBeNull();
      expect(await store.accounts.getSession('s2', at(5))).toBeNull();
      await store.accounts.deleteSession('s1');
      expect(await store.accounts.getSession('s1', at(5))).toBeNull();
    });
  });
}
