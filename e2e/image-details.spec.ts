import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { skopeoCopy, skopeoInspect, writeImageLayout, writeIndexLayout, type ImageLayout, type IndexLayout } from '@berth/testkit';
import { expect, test } from './fixtures';
import { api, host, noSeriousA11yFindings, shots, signIn, url } from './helpers';

const REPO = 'details';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function clipboard(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}

let work: string;
/** The host the console puts in commands: the managed registry's public host. */
let publicHost: string;
let single: ImageLayout;
let multi: IndexLayout;

test.beforeAll(async () => {
  const registries = await api<{ items: { kind: string; publicHost: string }[] }>('GET', '/registries');
  publicHost = registries.items.find((r) => r.kind === 'managed')!.publicHost;
  // A worker restarted after a failure runs this again: the repository may exist already.
  const repositories = await api<{ items: { name: string }[] }>('GET', `/repositories?q=${REPO}`);
  if (!repositories.items.some((r) => r.name === REPO)) await api('POST', '/repositories', { name: REPO, description: 'Images for the details spec' });
  const { secret } = await api<{ secret: string }>('POST', `/repositories/${REPO}/users`, { name: `ci-${Date.now()}`, permission: 'push' });
  const creds = { username: REPO, password: secret };
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-details-'));
  single = await writeImageLayout(path.join(work, 'single'), {
    tag: '2.0',
    layers: [{ files: { 'app.js': 'console.log("hi")\n' } }, { randomBytes: 120_000, seed: 'details' }],
    config: {
      os: 'linux',
      architecture: 'amd64',
      created: '2026-11-01T10:00:00Z',
      entrypoint: ['/usr/bin/node'],
      cmd: ['app.js'],
      env: ['PATH=/usr/local/bin:/usr/bin', 'NODE_ENV=production', 'DB_PASSWORD=do-not-show-me'],
      labels: { 'org.opencontainers.image.source': 'https://example.com/site/api', maintainer: 'web team' },
    },
  });
  await skopeoCopy(`oci:${path.join(work, 'single')}:2.0`, `docker://${host()}/${REPO}/site/api:2.0`, { destCreds: creds });
  await skopeoCopy(`oci:${path.join(work, 'single')}:2.0`, `docker://${host()}/${REPO}/site/api:stable`, { destCreds: creds });
  multi = await writeIndexLayout(path.join(work, 'multi'), {
    tag: 'multi',
    platforms: [
      { os: 'linux', architecture: 'amd64', layers: [{ files: { 'arch.txt': 'amd64' } }] },
      { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'arch.txt': 'arm64' } }] },
    ],
  });
  await skopeoCopy(`oci:${path.join(work, 'multi')}:multi`, `docker://${host()}/${REPO}/site/api:multi`, { destCreds: creds, all: true });
});

test.afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('Push command popup: docker, podman, helm and oras commands that copy', async ({ page }, testInfo) => {
  await signIn(page, `/repositories/${REPO}`);
  await page.getByRole('button', { name: 'Push command' }).click();
  const dialog = page.getByRole('dialog', { name: `Push to ${REPO}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('push-docker')).toContainText(`docker login ${publicHost} -u ${REPO}`);
  await expect(dialog.getByTestId('push-podman')).toContainText(`podman push ${publicHost}/${REPO}/IMAGE[:TAG]`);
  await expect(dialog.getByTestId('push-oci')).toContainText(`helm push CHART.tgz oci://${publicHost}/${REPO}`);
  await expect(dialog.getByTestId('push-oci')).toContainText(`oras push ${publicHost}/${REPO}/ARTIFACT:TAG FILE`);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'push-command');

  await dialog.getByRole('button', { name: 'Copy (docker): Tag an image for this repository' }).click();
  await expect.poll(() => clipboard(page)).toBe(`docker tag SOURCE_IMAGE[:TAG] ${publicHost}/${REPO}/IMAGE[:TAG]`);
  await dialog.getByRole('button', { name: 'Copy (podman): Log in' }).click();
  await expect.poll(() => clipboard(page)).toBe(`podman login ${publicHost} -u ${REPO}`);
  await dialog.getByRole('button', { name: 'Copy (helm): Push a Helm chart' }).click();
  await expect.poll(() => clipboard(page)).toBe(`helm push CHART.tgz oci://${publicHost}/${REPO}`);
  await shots(page, testInfo, 'push-command-scrolled');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('Copy pull command popup from a row menu: by digest by default, or by a tag', async ({ page }, testInfo) => {
  await signIn(page, `/repositories/${REPO}/images/site/api`);
  const row = page.locator(`[data-testid="artifact-row"][data-digest="${single.manifestDigest}"]`);
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Copy pull command' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pull site/api' });
  await expect(dialog.getByRole('radio', { name: /Digest/ })).toBeChecked();
  const byDigest = `${publicHost}/${REPO}/site/api@${single.manifestDigest}`;
  await expect(dialog.getByTestId('pull-commands')).toContainText(`docker pull ${byDigest}`);
  await dialog.getByRole('button', { name: 'Copy the Docker pull command' }).click();
  await expect.poll(() => clipboard(page)).toBe(`docker pull ${byDigest}`);
  await dialog.getByRole('radio', { name: /stable/ }).check();
  await dialog.getByRole('button', { name: 'Copy the Podman pull command' }).click();
  await expect.poll(() => clipboard(page)).toBe(`podman pull ${publicHost}/${REPO}/site/api:stable`);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'pull-command');
});

test('Artifact details: manifest as served, copy and download, config with secrets hidden, an index and its children', async ({ page }, testInfo) => {
  await signIn(page, `/repositories/${REPO}/images/site/api`);
  const row = page.locator(`[data-testid="artifact-row"][data-digest="${single.manifestDigest}"]`);
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Show details' }).click();
  await expect(page).toHaveURL(/artifact=sha256/);
  const dialog = page.getByRole('dialog', { name: /Artifact site\/api:/ });
  await expect(dialog.getByTestId('details-digest')).toHaveText(single.manifestDigest);
  await expect(dialog.getByTestId('details-media-type')).toHaveText('application/vnd.oci.image.manifest.v1+json');

  // The bytes a registry client is served for this digest.
  const served = await skopeoInspect(`docker://${process.env.BERTH_E2E_HOST}/${REPO}/site/api@${single.manifestDigest}`, {
    raw: true,
    creds: { username: 'admin', password: process.env.BERTH_E2E_ADMIN_PASSWORD! },
  });
  await expect(dialog.getByTestId('manifest-json')).toHaveText(JSON.stringify(JSON.parse(served), null, 2));
  await dialog.getByRole('button', { name: 'Copy manifest' }).click();
  await expect.poll(() => clipboard(page)).toBe(served);

  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^site_api_(2\.0|stable)\.json$/);
  const saved = fs.readFileSync((await download.path())!);
  expect(saved.equals(Buffer.from(served))).toBe(true);

  await expect(dialog.getByRole('row', { name: /NODE_ENV/ })).toContainText('production');
  await expect(dialog.getByRole('row', { name: /DB_PASSWORD/ })).toContainText('Hidden');
  await expect(dialog).not.toContainText('do-not-show-me');
  await expect(dialog.getByText('/usr/bin/node')).toBeVisible();
  await expect(dialog.getByText('https://example.com/site/api')).toBeVisible();
  await expect(dialog.getByTestId('layer-row')).toHaveCount(2);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'artifact-details');
  await dialog.getByRole('heading', { name: /History and layers/ }).scrollIntoViewIfNeeded();
  await shots(page, testInfo, 'artifact-config');

  // A reload keeps the window open (it is in the URL); Escape closes it.
  await page.reload();
  await expect(dialog.getByTestId('details-digest')).toHaveText(single.manifestDigest);
  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/artifact=/);

  // The digest itself links to the details window.
  const indexRow = page.locator(`[data-testid="artifact-row"][data-digest="${multi.indexDigest}"]`);
  await indexRow.getByRole('link', { name: /^Details of sha256:/ }).click();
  const index = page.getByRole('dialog', { name: 'Artifact site/api:multi' });
  await expect(index.getByTestId('details-media-type')).toHaveText('application/vnd.oci.image.index.v1+json');
  await expect(index.getByRole('heading', { name: 'Index: 2 manifests' })).toBeVisible();
  await index.getByLabel('Configuration of').selectOption({ label: 'linux/arm64/v8' });
  await expect(index.getByText('linux/arm64/v8').last()).toBeVisible();
  await noSeriousA11yFindings(page);
  await index.getByLabel('Configuration of').scrollIntoViewIfNeeded();
  await shots(page, testInfo, 'index-details');

  // A link to the window of an artifact the list does not show (filtered out) still opens it, children and all.
  await page.goto(`${url()}/repositories/${REPO}/images/site/api?q=stable&artifact=${multi.indexDigest}`);
  const linked = page.getByRole('dialog');
  await expect(linked.getByTestId('details-digest')).toHaveText(multi.indexDigest);
  await expect(linked.getByRole('heading', { name: 'Index: 2 manifests' })).toBeVisible();
  await expect(linked.getByText('linux/arm64/v8').first()).toBeVisible();
});

test('Image page: artifacts with Copy URL and bulk selection; Details tab with the description edited inline', async ({ page }, testInfo) => {
  await signIn(page, `/repositories/${REPO}/images/site/api`);
  await expect(page.getByRole('tab', { name: 'Artifacts', exact: true })).toHaveAttribute('aria-selected', 'true');
  const row = page.locator(`[data-testid="artifact-row"][data-digest="${single.manifestDigest}"]`);
  await row.getByRole('button', { name: /^Copy the pull URL of sha256:/ }).click();
  await expect.poll(() => clipboard(page)).toBe(`${publicHost}/${REPO}/site/api@${single.manifestDigest}`);
  // A tag chip copies the pull URL by that tag.
  await row.getByRole('button', { name: 'Copy the pull URL of tag stable' }).click();
  await expect.poll(() => clipboard(page)).toBe(`${publicHost}/${REPO}/site/api:stable`);
  await expect(page.getByText(`Copied ${publicHost}/${REPO}/site/api:stable`)).toBeVisible();

  await row.getByRole('checkbox').check();
  await expect(page.getByRole('status').filter({ hasText: '1 artifact selected' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all shown artifacts' }).check();
  await expect(page.getByRole('status').filter({ hasText: '2 artifacts selected' })).toBeVisible();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'image-artifacts');
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await expect(page.getByRole('checkbox', { name: 'Select all shown artifacts' })).not.toBeChecked();

  await page.getByRole('tab', { name: 'Details' }).click();
  await expect(page).toHaveURL(/tab=details/);
  const details = page.getByRole('tabpanel');
  // The image was created by the push, as the repository user.
  await expect(details.getByText(new RegExp(`^${REPO}\\+ci-`)).first()).toBeVisible();
  await expect(details.getByRole('link', { name: REPO })).toHaveAttribute('href', `/repositories/${REPO}`);
  await expect(details.getByTestId('image-description')).toHaveText('No description.');
  await details.getByRole('button', { name: 'Edit the description' }).click();
  const text = 'The public API of the site.\nBuilt from main.';
  await details.getByRole('textbox', { name: 'Description' }).fill(text);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'image-details-editing');
  await details.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(details.getByTestId('image-description')).toHaveText(text);
  const saved = await api<{ description: string; updatedBy: string }>('GET', `/repositories/${REPO}/images/${encodeURIComponent('site/api')}`);
  expect(saved).toMatchObject({ description: text, updatedBy: 'admin' });

  // Escape leaves the editor without saving.
  await details.getByRole('button', { name: 'Edit the description' }).click();
  await details.getByRole('textbox', { name: 'Description' }).fill('not this');
  await page.keyboard.press('Escape');
  await expect(details.getByTestId('image-description')).toHaveText(text);

  await page.reload();
  await expect(page.getByRole('tab', { name: 'Details' })).toHaveAttribute('aria-selected', 'true');
  await expect(details.getByTestId('image-description')).toHaveText(text);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'image-details');

  // The same page in Vietnamese.
  await page.getByLabel('Language', { exact: true }).selectOption('vi');
  await expect(page.getByRole('tab', { name: 'Chi tiết' })).toHaveAttribute('aria-selected', 'true');
  await expect(details.getByRole('button', { name: 'Sửa mô tả' })).toBeVisible();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'image-details-vi');
});

test('Status column: artifacts and images read Active, in both languages; the lists fit 1024 px', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  /** How far a list's table scrolls sideways (0: its columns fit). */
  const overflow = () => page.locator('.table-wrap').first().evaluate((el) => el.scrollWidth - el.clientWidth);

  await signIn(page, `/repositories/${REPO}/images/site/api`);
  const artifacts = page.getByRole('table', { name: 'Artifacts of site/api' });
  await expect(artifacts.getByRole('columnheader', { name: 'Status' })).toBeVisible();
  for (const digest of [single.manifestDigest, multi.indexDigest]) {
    const status = artifacts.locator(`[data-testid="artifact-row"][data-digest="${digest}"]`).getByTestId('artifact-status');
    await expect(status).toHaveText('Active');
    await expect(status).toHaveAttribute('title', 'In use');
  }
  expect(await overflow()).toBe(0);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'artifacts-status-1024');

  await page.goto(`${url()}/repositories/${REPO}`);
  const images = page.getByRole('table', { name: /Images of/ });
  await expect(images.getByRole('columnheader', { name: 'Status' })).toBeVisible();
  const imageStatus = page.getByRole('row', { name: /site\/api/ }).getByTestId('image-status');
  await expect(imageStatus).toHaveText('Active');
  expect(await overflow()).toBe(0);

  await page.getByLabel('Language', { exact: true }).selectOption('vi');
  await expect(imageStatus).toHaveText('Hoạt động');
  expect(await overflow()).toBe(0);
  await shots(page, testInfo, 'images-status-1024-vi');
  await page.goto(`${url()}/repositories/${REPO}/images/site/api`);
  await expect(page.getByTestId('artifact-status').first()).toHaveText('Hoạt động');
  expect(await overflow()).toBe(0);
  await shots(page, testInfo, 'artifacts-status-1024-vi');
});

test('A viewer reads the Details tab but has no Edit button', async ({ page }) => {
  const username = `viewer${Date.now()}`;
  await api('POST', '/accounts', { username, password: 'viewer-password-1', role: 'viewer' });
  await page.goto(`${url()}/repositories/${REPO}/images/site/api?tab=details`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('viewer-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('tab', { name: 'Details' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('image-description')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit the description' })).toHaveCount(0);
});
