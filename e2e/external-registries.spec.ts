import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Registry } from '@berth/api';
import { RegistryClient } from '@berth/oci';
import { skopeoCopy, startDistribution, writeImageLayout, type Distribution, type ImageLayout } from '@berth/testkit';
import { expect, test } from './fixtures';
import { api, noSeriousA11yFindings, shots, signIn } from './helpers';

/** Another team's registry: a Debian distribution with htpasswd Basic auth, reached over plain HTTP on loopback. */
const LAB = { username: 'lab-robot', password: 'lab-e2e-password-3x' };
let lab: Distribution;
let work: string;
let app: ImageLayout;
let app2: ImageLayout;

test.beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-external-'));
  lab = await startDistribution({ auth: LAB });
  app = await writeImageLayout(path.join(work, 'app'), { tag: '1.0', layers: [{ randomBytes: 40_000, seed: 'e2e-external-1' }] });
  app2 = await writeImageLayout(path.join(work, 'app2'), { tag: '2.0', layers: [{ randomBytes: 60_000, seed: 'e2e-external-2' }] });
  const push = (layout: ImageLayout, dir: string, ref: string) => skopeoCopy(`oci:${path.join(work, dir)}:${layout.tag}`, `docker://${lab.host}/${ref}`, { destCreds: LAB });
  await push(app, 'app', 'team/app:1.0');
  await push(app2, 'app2', 'team/app:2.0');
  await push(app, 'app', 'busybox:stable');
  await push(app2, 'app2', 'scratch/tmp:1');
  // A worker restarted after a failure starts a new registry: entries of the last one go.
  for (const name of ['lab', 'lab-ro', 'lab-scratch']) await api('DELETE', `/registries/${name}`).catch(() => undefined);
});

/** The `lab` registry the first test adds in the console; added here when a test runs without it. */
async function ensureLab(): Promise<void> {
  const list = await api<{ items: Registry[] }>('GET', '/registries?q=lab');
  if (list.items.some((r) => r.name === 'lab')) return;
  await api('POST', '/registries', { name: 'lab', type: 'registry', url: lab.url, insecure: true, username: LAB.username, password: LAB.password });
}

test.afterAll(async () => {
  // What a failed run left behind must not reach the next spec's lists.
  for (const name of ['lab', 'lab-ro', 'lab-scratch']) await api('DELETE', `/registries/${name}`).catch(() => undefined);
  await lab?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('Add registry: a failed Connection Test says why and keeps Save off; a passed one saves it into the list', async ({ page }, testInfo) => {
  await signIn(page, '/registries');
  await page.getByRole('button', { name: 'Add registry', exact: true }).click();
  const form = page.getByTestId('add-registry-form');
  await form.locator('input[name="name"]').fill('lab');
  await form.locator('input[name="url"]').fill(lab.url);
  await form.getByLabel('Allow plain HTTP (loopback or lab host)').check();
  await form.locator('input[name="username"]').fill(LAB.username);
  await form.locator('input[name="password"]').fill('not-the-password');
  await form.getByTestId('connection-test').click();
  const result = form.getByTestId('connection-test-result');
  await expect(result).toHaveAttribute('data-ok', 'false');
  await expect(result).toHaveAttribute('data-reason', 'unauthorized');
  await expect(result).toContainText('The username or password was refused.');
  await expect(form.getByTestId('save-registry')).toBeDisabled();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'external-add-failed');

  await form.locator('input[name="password"]').fill(LAB.password);
  // An edit makes the shown test stale: Save waits for a new one.
  await expect(form.getByTestId('connection-test-panel')).toHaveAttribute('data-stale', 'true');
  await form.getByTestId('connection-test').click();
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(form.getByTestId('connection-test-catalog')).toContainText('3');
  await shots(page, testInfo, 'external-add-passed');
  await form.getByTestId('save-registry').click();
  await expect(page.locator('.toast').filter({ hasText: 'lab' })).toBeVisible();

  const row = page.locator('[data-testid="registry-row"][data-name="lab"]');
  await expect(row.getByRole('cell').nth(0)).toHaveText('Image Registry');
  await expect(row.getByRole('cell').nth(1)).toHaveText(lab.url);
  await expect(row.getByRole('cell').nth(2)).toHaveText('Read-write');
  await expect(row.getByRole('cell').nth(3)).toHaveText(LAB.username);
  await expect(row.getByTestId('last-test')).toHaveAttribute('data-ok', 'true');
  await expect(row.getByRole('cell').nth(5)).toHaveText('3');
  // The password went to the server once and is never shown back.
  await expect(page.locator('body')).not.toContainText(LAB.password);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'external-registries');
});

test('Browse an external registry: repositories, images, tags with digests; pull commands with its host; the manifest', async ({ page }, testInfo) => {
  await ensureLab();
  await signIn(page, '/registries/lab');
  await expect(page.getByTestId('registry-type')).toHaveText('Image Registry');
  await expect(page.getByTestId('registry-account')).toHaveText(LAB.username);
  const repos = page.getByTestId('external-repository-row');
  await expect(repos).toHaveCount(3);
  await shots(page, testInfo, 'external-registry');
  await page.locator('[data-testid="external-repository-row"][data-name="team"]').getByRole('link', { name: 'team' }).click();
  await page.locator('[data-testid="external-image-row"][data-name="app"]').getByRole('link', { name: 'app' }).first().click();

  const tag = page.locator('[data-testid="tag-row"][data-tag="1.0"]');
  await expect(page.getByTestId('tag-row')).toHaveCount(2);
  await expect(tag.getByTestId('tag-digest')).toHaveAttribute('title', app.manifestDigest);
  await expect(page.locator('[data-testid="tag-row"][data-tag="2.0"]').getByTestId('tag-digest')).toHaveAttribute('title', app2.manifestDigest);
  await expect(tag.getByTestId('tag-size')).toHaveAttribute('data-bytes', String(app.totalSize));
  // A read-write registry offers its own push commands.
  await expect(page.getByTestId('external-push-command')).toBeVisible();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'external-tags');

  await tag.getByRole('button', { name: 'Actions for tag 1.0' }).click();
  await page.getByTestId('tag-action-pull').click();
  const commands = page.getByTestId('pull-commands');
  await expect(commands).toContainText(`docker pull ${lab.host}/team/app:1.0`);
  await expect(commands).toContainText(`podman pull ${lab.host}/team/app:1.0`);
  await shots(page, testInfo, 'external-pull');
  await page.keyboard.press('Escape');

  await tag.getByRole('button', { name: 'Actions for tag 1.0' }).click();
  await page.getByTestId('tag-action-manifest').click();
  await expect(page.getByTestId('details-digest')).toHaveText(app.manifestDigest);
  await expect(page.getByTestId('manifest-json')).toContainText(app.layers[0]!.digest);
  await shots(page, testInfo, 'external-manifest');
});

test('A pull-only registry shows no push command and offers no upstream delete', async ({ page }, testInfo) => {
  await api<Registry>('POST', '/registries', { name: 'lab-ro', type: 'registry', url: lab.url, insecure: true, mode: 'pull-only', username: LAB.username, password: LAB.password });
  await signIn(page, '/registries/lab-ro/repositories/team');
  await expect(page.locator('[data-testid="external-image-row"][data-name="app"]')).toBeVisible();
  await expect(page.getByTestId('external-push-command')).toHaveCount(0);
  await page.goto('/registries/lab-ro');
  await expect(page.getByTestId('registry-mode')).toHaveText('Pull-only');
  await page.getByTestId('registry-delete').click();
  await expect(page.getByTestId('delete-registry-form')).toBeVisible();
  await expect(page.getByTestId('delete-upstream')).toHaveCount(0);
  await shots(page, testInfo, 'external-pull-only-delete');
  await page.getByTestId('confirm-delete-registry').click();
  await expect(page).toHaveURL(/\/registries$/);
  await expect(page.locator('[data-testid="registry-row"][data-name="lab-ro"]')).toHaveCount(0);
  // Only Berth forgot it: the registry still has everything.
  expect(await new RegistryClient(lab.url, LAB).tags('team/app')).toHaveLength(2);
});

test('Edit authentication information: a refused account keeps Save off; a passing one is saved', async ({ page }, testInfo) => {
  await ensureLab();
  await signIn(page, '/registries/lab');
  await page.getByTestId('registry-edit-auth').click();
  const form = page.getByTestId('edit-auth-form');
  await form.locator('input[name="password"]').fill('wrong-again');
  await form.getByTestId('connection-test').click();
  await expect(form.getByTestId('connection-test-result')).toHaveAttribute('data-ok', 'false');
  await expect(form.getByTestId('save-auth')).toBeDisabled();
  await shots(page, testInfo, 'external-edit-auth-failed');
  await form.locator('input[name="password"]').fill(LAB.password);
  await form.getByTestId('connection-test').click();
  await expect(form.getByTestId('connection-test-result')).toHaveAttribute('data-ok', 'true');
  await form.getByTestId('save-auth').click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('registry-last-test').getByTestId('last-test')).toHaveAttribute('data-ok', 'true');
});

test('Delete a registry with its repository in the registry: the content goes upstream, then the registry', async ({ page }, testInfo) => {
  await api<Registry>('POST', '/registries', { name: 'lab-scratch', type: 'registry', url: lab.url, insecure: true, repository: 'scratch', username: LAB.username, password: LAB.password });
  await signIn(page, '/registries/lab-scratch');
  await page.getByTestId('registry-delete').click();
  await page.getByTestId('delete-upstream').check();
  await shots(page, testInfo, 'external-delete-upstream');
  await page.getByTestId('confirm-delete-registry').click();
  const report = page.getByTestId('delete-registry-report');
  await expect(page.getByTestId('delete-registry-summary')).toHaveText('1 manifests deleted, 0 could not be.');
  await expect(page.getByTestId('delete-registry-deleted')).toContainText('scratch/tmp@');
  await expect(report).toBeVisible();
  await shots(page, testInfo, 'external-delete-report');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page).toHaveURL(/\/registries$/);
  await expect(page.locator('[data-testid="registry-row"][data-name="lab-scratch"]')).toHaveCount(0);
  const direct = new RegistryClient(lab.url, LAB);
  expect(await direct.hasManifest('scratch/tmp', app2.manifestDigest)).toBe(false);
  expect(await direct.hasManifest('team/app', app2.manifestDigest)).toBe(true);
});
