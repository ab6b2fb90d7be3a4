import { expect, test as base } from '@playwright/test';

/**
 * Playwright's `test` for Berth's specs: it fails any test whose pages report that a
 * server-rendered page did not hydrate as rendered (the console logs that once per page).
 */
export const test = base.extend<{ hydrationErrors: string[] }>({
  hydrationErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      context.on('console', (m) => {
        if (m.type() === 'error' && m.text().includes('did not hydrate')) errors.push(m.text());
      });
      await use(errors);
      expect(errors, 'hydration mismatches').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
