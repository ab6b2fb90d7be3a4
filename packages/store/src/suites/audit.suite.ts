import { describe, expect, it } from 'vitest';
import type { KyselyStore } from '../kysely-store.ts';
import { at, openEach, type OpenStore } from './fixtures.ts';

/** The audit log. `open` gives a fresh, migrated store for each test. */
export function auditSuite(label: string, open: OpenStore): void {
  describe(`store audit: ${label}`, () => {
    let store: KyselyStore;
    openEach(open, (s) => (store = s));

    it('records who did what to which, and when, with before and after as JSON', async () => {
      await store.audit.record({ at: at(1), actor: 'admin', action: 'repository.update', target: 'team', before: { d: 'old' }, after: { d: 'new' } });
      await store.audit.record({ at: at(2), actor: 'system', action: 'repository.import', target: 'other' });
      const rows = await store.db.selectFrom('audit_log').select(['at', 'actor', 'action', 'target', 'before', 'after']).orderBy('id').execute();
      expect(rows.map((r) => ({ ...r, before: r.before === null ? null : (JSON.parse(r.before) as unknown), after: r.after === null ? null : (JSON.parse(r.after) as unknown) }))).toEqual([
        { at: at(1), actor: 'admin', action: 'repository.update', target: 'team', before: { d: 'old' }, after: { d: 'new' } },
        { at: at(2), actor: 'system', action: 'repository.import', target: 'other', before: null, after: null },
      ]);
    });
  });
}
