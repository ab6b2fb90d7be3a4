/**
 * What the e2e specs share: Playwright's `test` failing on a broken hydration, the Berth
 * under test (from global-setup), an admin API client, axe and the light/dark screenshots.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page, type TestInfo } from '@playwright/test';

/** Playwright's `test`, failing any test whose pages report that a server-rendered page did not hydrate as rendered. */
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

/** The Berth under test, and the host it puts in registry commands. */
export const url = () => process.env.BERTH_E2E_URL!;
export const host = () => process.env.BERTH_E2E_HOST!;
const adminAuth = () => `Basic ${Buffer.from(`admin:${process.env.BERTH_E2E_ADMIN_PASSWORD}`).toString('base64')}`;

/** Calls /api/v1 as admin (Basic); throws on a non-2xx answer. */
export async function api<T>(method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url()}/api/v1${p}`, {
    method,
    headers: { authorization: adminAuth(), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** axe finds nothing serious or critical on the page. */
export async function noSeriousA11yFindings(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Screenshots in the light and the dark theme, saved with the test's output. */
export async function shots(page: Page, testInfo: TestInfo, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
