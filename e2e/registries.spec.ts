import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import type { GcReport, Registry } from '@berth/api';
import { MANIFEST_ACCEPT } from '@berth/oci';
import { startRegistry, type EmbeddedRegistry } from '@berth/registry';
import { skopeoCopy, skopeoDelete, writeImageLayout, type ImageLayout } from '@berth/testkit';
import { api, noSeriousA11yFindings, shots, signIn } from './helpers';

/** Content that reached the registry around Berth: a repository Berth has never seen. */
const REPO = 'imported';

let work: string;
/**
 * A second registry process on the storage of Berth's embedded one, as another tool (or a
 * restore) would write it. Its start clears the storage's temp dir: specs run one at a time,
 * so nothing is being pushed through Berth then.
 */
let around: EmbeddedRegistry;
let managed: Registry;
let kept: ImageLayout;
let dropped: ImageLayout;

test.beforeAll(async () => {
  managed = (await api<{ items: Registry[] }>('GET', '/registries')).items[0]!;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-registries-'));
  around = await startRegistry({ root: path.join(process.env.BERTH_E2E_DATA_DIR!, 'registry') });
  const layout = path.join(work, 'app');
  kept = await writeImageLayout(layout, { tag: '1.0', layers: [{ randomBytes: 80_000, seed: 'registries-kept' }] });
  dropped = await writeImageLayout(layout, { tag: '1.1', layers: [{ randomBytes: 150_000, seed: 'registries-dropped' }] });
  for (const tag of ['1.0', '1.1']) await skopeoCopy(`oci:${layout}:${tag}`, `docker://${around.host}/${REPO}/app:${tag}`);
});

test.afterAll(async () => {
  await around?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** How the console prints a size in English: SI units as the docker CLI does ("151 kB", "1.25 MB"). */
function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const [unit, value] = bytes < 999_500 ? (['kilobyte', bytes / 1e3] as const) : (['megabyte', bytes / 1e6] as const);
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return new Intl.NumberFormat('en', { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
}

/** The counts a report box shows, by the test ids `<prefix>-<key>`. */
const shown = async (box: Locator, prefix: string, keys: readonly string[]) =>
  Object.fromEntries(await Promise.all(keys.map(async (k) => [k, Number((await box.getByTestId(`${prefix}-${k}`).innerText()).replace(/[^\d]/g, '')) || 0])));

/** A GC report box shows exactly `report`: counts, exact bytes, and the human size the console prints. */
async function expectGcReport(box: Locator, prefix: string, report: GcReport) {
  await expect(box.getByTestId(`${prefix}-manifests`)).toHaveText(String(report.manifests));
  await expect(box.getByTestId(`${prefix}-blobs`)).toHaveText(String(report.blobs));
  await expect(box.getByTestId(`${prefix}-bytes`).locator('[data-bytes]')).toHaveAttribute('data-bytes', String(report.bytes));
  await expect(box.getByTestId(`${prefix}-bytes`)).toHaveText(humanSize(report.bytes));
  await expect(box.getByTestId(`${prefix}-uploads`)).toHaveText(report.uploads > 0 ? `${report.uploads} · ${humanSize(report.uploadBytes)}` : '0');
}

test('Registries page, a registry page, Sync now with its counts, and garbage collection: dry run, then confirmed', async ({ page }, testInfo) => {
  await signIn(page, '/repositories');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registries' }).click();
  await expect(page).toHaveURL(/\/registries$/);
  await expect(page).toHaveTitle('Registries · Berth');
  const row = page.locator('[data-testid="registry-row"][data-name="default"]');
  await expect(row.getByRole('rowheader')).toHaveText('default');
  // Type, the host people pull from, mode; a managed registry has no account or connection test of its own.
  await expect(row.getByRole('cell').nth(0)).toHaveText('Managed');
  await expect(row.getByRole('cell').nth(1)).toHaveText(managed.publicHost);
  await expect(row.getByRole('cell').nth(2)).toHaveText('Read-write');
  await expect(row.getByRole('cell').nth(3)).toHaveText('—');
  await expect(row.getByRole('cell').nth(4)).toHaveText('—');
  // Berth's own credential for its embedded registry is never shown.
  expect(new URL(managed.url).username).toBe('');
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'registries');

  await row.getByRole('link', { name: 'default' }).click();
  await expect(page).toHaveURL(/\/registries\/default$/);
  await expect(page.getByRole('heading', { level: 1, name: 'default' })).toBeVisible();
  await expect(page).toHaveTitle('default · Registries · Berth');
  await expect(page.getByTestId('registry-engine')).toHaveText('Embedded (Berth’s own)');
  await expect(page.getByTestId('registry-public-host')).toHaveText(managed.publicHost);
  await expect(page.getByTestId('registry-url')).toHaveText(managed.url);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'registry');

  // Sync imports what was pushed around Berth: one repository, one image, two tagged artifacts.
  const counts = ['repositories', 'images', 'artifacts', 'tags', 'removedTags', 'removedArtifacts'] as const;
  // (The card may already show the sync Berth ran at start: the counts are polled until they are this run's.)
  await page.getByRole('button', { name: 'Sync now' }).click();
  const synced = page.getByTestId('sync-result');
  await expect(page.locator('.toast').filter({ hasText: 'Sync finished.' })).toBeVisible();
  await expect.poll(() => shown(synced, 'sync', counts)).toEqual({ repositories: 1, images: 1, artifacts: 2, tags: 2, removedTags: 0, removedArtifacts: 0 });
  await expect(synced.getByTestId('sync-result-ran')).toContainText('By admin');
  const imported = await api<{ items: { name: string; artifactCount: number }[] }>('GET', `/repositories/${REPO}/images`);
  expect(imported.items).toMatchObject([{ name: 'app', artifactCount: 2 }]);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'registry-synced');

  // A manifest deleted around Berth: the next sync drops its tag, and the artifact with it.
  await skopeoDelete(`docker://${around.host}/${REPO}/app@${dropped.manifestDigest}`);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(synced.getByTestId('sync-removedTags')).toHaveText('1');
  const second = { repositories: 0, images: 0, artifacts: 0, tags: 0, removedTags: 1, removedArtifacts: 1 };
  expect(await shown(synced, 'sync', counts)).toEqual(second);
  const after = await api<{ items: { name: string; artifactCount: number; tagCount: number }[] }>('GET', `/repositories/${REPO}/images`);
  expect(after.items).toMatchObject([{ name: 'app', artifactCount: 1, tagCount: 1 }]);

  // Garbage collection, from the keyboard: the dialog opens on a dry run, Cancel focused first.
  await page.getByRole('button', { name: 'Garbage collection…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: 'Garbage collection of default' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const preview = dialog.getByTestId('gc-preview');
  await expect(preview).toBeVisible();
  const dry = await api<GcReport>('POST', '/registries/default/gc', { dryRun: true });
  // At least the deleted 1.1's manifest, config and layer (other specs may have left garbage too).
  expect(dry).toMatchObject({ dryRun: true, manifests: 0 });
  expect(dry.blobs).toBeGreaterThanOrEqual(3);
  expect(dry.bytes).toBeGreaterThanOrEqual(dropped.totalSize);
  await expectGcReport(preview, 'gc-would', dry);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'gc-dry-run');

  // Untagged artifacts too: the dry run is asked again and shows the API's numbers for it.
  await dialog.getByRole('checkbox', { name: /Also delete untagged artifacts/ }).check();
  await expectGcReport(preview, 'gc-would', await api<GcReport>('POST', '/registries/default/gc', { dryRun: true, untagged: 'delete' }));
  await dialog.getByRole('checkbox', { name: /Also delete untagged artifacts/ }).uncheck();
  await expectGcReport(preview, 'gc-would', dry);

  await dialog.getByRole('button', { name: 'Delete and free space' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.toast').filter({ hasText: `Garbage collection freed ${humanSize(dry.bytes + dry.uploadBytes)}.` })).toBeVisible();
  // The real run freed what the dry run said; nothing is left to collect; the kept tag is whole.
  await expectGcReport(page.getByTestId('gc-result'), 'gc-freed', dry);
  expect(await api<GcReport>('POST', '/registries/default/gc', { dryRun: true })).toMatchObject({ manifests: 0, blobs: 0, bytes: 0, links: 0 });
  expect((await fetch(`${around.url}/v2/${REPO}/app/manifests/1.0`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } })).status).toBe(200);
  for (const digest of [kept.configDigest, ...kept.layerDigests]) {
    expect((await fetch(`${around.url}/v2/${REPO}/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
  }
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'gc-done');

  // Berth keeps both reports: after a reload the cards show them, with who ran them.
  await page.reload();
  await expect.poll(() => shown(page.getByTestId('sync-result'), 'sync', counts)).toEqual(second);
  await expect(page.getByTestId('sync-result-ran')).toContainText('By admin');
  await expectGcReport(page.getByTestId('gc-result'), 'gc-freed', dry);
  await expect(page.getByTestId('gc-result-ran')).toContainText('By admin');

  // A second look finds nothing: the confirm button stays disabled; Escape closes.
  await page.getByRole('button', { name: 'Garbage collection…' }).click();
  await expect(dialog.getByText('Nothing to free.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Delete and free space' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The same page in Vietnamese.
  await page.getByLabel('Language', { exact: true }).selectOption('vi');
  await expect(page.getByRole('button', { name: 'Đồng bộ ngay' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dọn rác…' })).toBeVisible();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'registry-vi');
  await page.getByLabel('Ngôn ngữ').selectOption('en');
});

test('A viewer reads a registry page but has no Sync or Garbage collection', async ({ page }, testInfo) => {
  const account = { username: `regviewer${Date.now()}`, password: 'viewer-password-1' };
  await api('POST', '/accounts', { ...account, role: 'viewer' });
  await signIn(page, '/registries/default', account);
  await expect(page.getByTestId('registry-engine')).toHaveText('Embedded (Berth’s own)');
  await expect(page.getByTestId('registry-url')).toHaveText(managed.url);
  await expect(page.getByRole('main').getByRole('button')).toHaveCount(0);
  await expect(page.getByText('Sync now')).toHaveCount(0);
  await expect(page.getByText('Garbage collection')).toHaveCount(0);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'registry-viewer');
});

test('An unknown registry says so', async ({ page }) => {
  await signIn(page, '/registries/nowhere');
  await expect(page.getByRole('alert')).toContainText('Berth knows no registry by this name.');
});

test('The Details tab of an image links to its registry', async ({ page }, testInfo) => {
  // Idempotent: the image exists whether or not the first test ran.
  await api('POST', '/registries/default/sync');
  await signIn(page, `/repositories/${REPO}/images/app?tab=details`);
  const registry = page.getByRole('tabpanel').getByTestId('details-registry');
  await expect(registry).toHaveText(`default · ${managed.publicHost}`);
  await expect(page.getByRole('tabpanel').getByRole('link', { name: REPO })).toHaveAttribute('href', `/repositories/${REPO}`);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'image-details-registry');
  await registry.getByRole('link', { name: 'default' }).click();
  await expect(page).toHaveURL(/\/registries\/default$/);
  await expect(page.getByRole('heading', { level: 1, name: 'default' })).toBeVisible();
});
