import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Where global-setup started the built Berth, and its admin's password. */
export const url = () => process.env.BERTH_E2E_URL!;
export const host = () => process.env.BERTH_E2E_HOST!;
export const adminPassword = () => process.env.BERTH_E2E_ADMIN_PASSWORD!;
const adminAuth = () => `Basic ${Buffer.from(`admin:${adminPassword()}`).toString('base64')}`;

/** Calls /api/v1 as admin (HTTP Basic); throws on a non-2xx answer. */
export async function api<T>(method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url()}/api/v1${p}`, {
    method,
    headers: { authorization: adminAuth(), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** axe finds nothing serious or critical on the page as it is now. */
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

/** Opens `next`, signs in on the page it redirects to (admin unless told), and waits to be back at `next`. */
export async function signIn(page: Page, next: string, account = { username: 'admin', password: adminPassword() }) {
  await page.goto(`${url()}${next}`);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, '\\?')));
}
