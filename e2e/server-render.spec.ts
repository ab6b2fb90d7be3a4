import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { skopeoCopy, writeImageLayout, type ImageLayout } from '@berth/testkit';
import { expect, test } from './fixtures';
import { api, host, shots, url } from './helpers';

const REPO = 'rendered';
const IMAGE_PAGE = `/repositories/${REPO}/images/shop/web`;

/** A browser context signed in as admin (the session cookie set by the sign-in API), JavaScript on or off. */
async function signedIn(browser: Browser, opts: { javaScriptEnabled?: boolean; cookies?: { name: string; value: string }[] } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: url(), javaScriptEnabled: opts.javaScriptEnabled ?? true });
  const res = await context.request.post('/api/v1/auth/login', { data: { username: 'admin', password: process.env.BERTH_E2E_ADMIN_PASSWORD } });
  expect(res.status()).toBe(200);
  if (opts.cookies) await context.addCookies(opts.cookies.map((c) => ({ ...c, url: url() })));
  return context;
}

/** Records what the page says is wrong and which API requests it makes. */
function watch(page: Page) {
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) requests.push(`${r.method()} ${u.pathname}${u.search}`);
  });
  return { errors, requests };
}

let work: string;
let layout: ImageLayout;

test.beforeAll(async () => {
  const repositories = await api<{ items: { name: string }[] }>('GET', `/repositories?q=${REPO}`);
  if (!repositories.items.some((r) => r.name === REPO)) await api('POST', '/repositories', { name: REPO });
  const { secret } = await api<{ secret: string }>('POST', `/repositories/${REPO}/users`, { name: `ci-${Date.now()}`, permission: 'push' });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-render-'));
  layout = await writeImageLayout(path.join(work, 'img'), { tag: '3.1', layers: [{ files: { 'index.html': '<h1>shop</h1>\n' } }] });
  for (const tag of ['3.1', 'latest']) {
    await skopeoCopy(`oci:${path.join(work, 'img')}:3.1`, `docker://${host()}/${REPO}/shop/web:${tag}`, { destCreds: { username: REPO, password: secret } });
  }
});

test.afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the first rows come with the page: shown with JavaScript off', async ({ browser }, testInfo) => {
  const context = await signedIn(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(IMAGE_PAGE);
  const row = page.locator(`[data-testid="artifact-row"][data-digest="${layout.manifestDigest}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('artifact-tags')).toContainText('3.1');
  await expect(row.getByTestId('artifact-tags')).toContainText('latest');
  await expect(page.getByRole('heading', { level: 1, name: 'shop/web' })).toBeVisible();
  await shots(page, testInfo, 'image-page-without-javascript');

  await page.goto(`/repositories/${REPO}`);
  await expect(page.getByRole('link', { name: 'shop/web' })).toBeVisible();
  await context.close();
});

test('the browser hydrates the rendered page: no mismatch, no request for data it already has, and it works', async ({ browser }) => {
  const context = await signedIn(browser);
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(IMAGE_PAGE);
  const row = page.locator(`[data-testid="artifact-row"][data-digest="${layout.manifestDigest}"]`);
  await expect(row).toBeVisible();
  // Until the console's code has run, the page is the server's HTML alone: wait for it to be live.
  await expect(page.locator('html')).toHaveAttribute('data-console', 'ready');
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await expect(page.getByRole('menuitem', { name: 'Copy pull command' })).toBeVisible();
  await page.keyboard.press('Escape');
  expect(seen.requests).toEqual([]);
  expect(seen.errors).toEqual([]);

  // A sort is a client navigation that asks for the new order.
  await page.getByRole('button', { name: /^Size/ }).click();
  await expect(page).toHaveURL(/sort=size/);
  await expect.poll(() => seen.requests.some((r) => r.includes('/artifacts?') && r.includes('sort=size'))).toBe(true);
  expect(seen.errors).toEqual([]);
  await context.close();
});

test('a press made before the page is live is made once it is', async ({ browser }) => {
  const context = await signedIn(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const seen = watch(page);
  // The console's code held back, as a slow network or CPU would: the page is the server's HTML.
  let letBootLoad!: () => void;
  const bootHeld = new Promise<void>((resolve) => (letBootLoad = resolve));
  await page.route('**/assets/boot-*.js', async (route) => {
    await bootHeld;
    await route.continue();
  });
  await page.goto(IMAGE_PAGE);
  const row = page.locator(`[data-testid="artifact-row"][data-digest="${layout.manifestDigest}"]`);
  await row.getByRole('button', { name: /^Copy digest/ }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-console', 'ready');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).not.toBe(layout.manifestDigest);

  letBootLoad();
  await expect(page.locator('html')).toHaveAttribute('data-console', 'ready');
  await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(layout.manifestDigest);
  expect(seen.errors).toEqual([]);
  await context.close();
});

test('the page is rendered in the language the user chose, and the switch keeps it for the next load', async ({ browser }, testInfo) => {
  const context = await signedIn(browser, { cookies: [{ name: 'berth_language', value: 'vi' }] });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(IMAGE_PAGE);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByRole('tab', { name: 'Artifact', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-console', 'ready');
  await shots(page, testInfo, 'image-page-vi');
  await page.getByLabel('Ngôn ngữ').selectOption('en');
  await expect(page.getByRole('tab', { name: 'Artifacts', exact: true })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('tab', { name: 'Artifacts', exact: true })).toBeVisible();
  expect(seen.errors).toEqual([]);
  await context.close();
});
