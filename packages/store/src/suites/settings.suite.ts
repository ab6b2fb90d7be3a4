import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { openEach, type OpenStore } from './fixtures.ts';

/** Settings: set once, or replaced. `open` gives a fresh, migrated store for each test. */
export function settingsSuite(label: string, open: OpenStore): void {
  describe(`store settings: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    it('keeps a setting once set', async () => {
      expect(await store.settings.init('k', 'first')).toBe('first');
      expect(await store.settings.init('k', 'second')).toBe('first');
      await store.settings.put('k', 'third');
      expect(await store.settings.get('k')).toBe('third');
      await store.settings.put('fresh', 'one');
      expect(await store.settings.get('fresh')).toBe('one');
    });
  });
}
