import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skopeoCopy, skopeoInspect, writeImageLayout } from '@berth/testkit';
import { expect, test } from './fixtures';
import { host, noSeriousA11yFindings, url } from './helpers';

test('sign in, create a repository and a user, push with skopeo, and see the image', async ({ page }, testInfo) => {
  const shot = async (name: string) => {
    await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  };
  await page.goto(`${url()}/`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /incorrect username or password/i })).toBeVisible();
  await noSeriousA11yFindings(page);
  await shot('login');

  await page.getByLabel('Password').fill(process.env.BERTH_E2E_ADMIN_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Repositories' })).toBeVisible();

  await page.getByRole('button', { name: 'New repository' }).click();
  const createRepo = page.getByRole('dialog');
  await createRepo.getByLabel('Name').fill('Bad Name');
  await createRepo.getByRole('button', { name: /create/i }).click();
  await expect(createRepo.getByText(/lowercase/i)).toBeVisible();
  await createRepo.getByLabel('Name').fill('webteam');
  await createRepo.getByRole('button', { name: /create/i }).click();
  await expect(createRepo).toBeHidden();
  await expect(page.getByRole('link', { name: 'webteam' })).toBeVisible();
  await noSeriousA11yFindings(page);
  await shot('repositories');

  await page.getByRole('link', { name: 'webteam' }).click();
  await expect(page.getByText(/no images/i)).toBeVisible();
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  const createUser = page.getByRole('dialog');
  await createUser.getByLabel('Name').fill('ci');
  await createUser.getByLabel('Permission').selectOption('push');
  await createUser.getByRole('button', { name: /create/i }).click();
  const secretBox = createUser.getByTestId('secret-key');
  await expect(secretBox).toContainText('brt_');
  const secret = ((await secretBox.textContent()) ?? '').trim();
  await noSeriousA11yFindings(page);
  await shot('user-secret');
  await createUser.getByRole('button', { name: /done|close/i }).first().click();
  await expect(page.getByRole('cell', { name: 'ci', exact: true })).toBeVisible();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-img-'));
  const layout = path.join(work, 'layout');
  const written = await writeImageLayout(layout, {
    tag: '1.0',
    layers: [{ files: { 'index.html': '<h1>hello</h1>' } }, { randomBytes: 300_000, seed: 'e2e' }],
    config: { os: 'linux', architecture: 'amd64' },
  });
  await skopeoCopy(`oci:${layout}:1.0`, `docker://${host()}/webteam/site/frontend:1.0`, { destCreds: { username: 'webteam', password: secret } });
  await skopeoInspect(`docker://${host()}/webteam/site/frontend:1.0`, { creds: { username: 'webteam', password: secret } });

  await page.getByRole('tab', { name: 'Images' }).click();
  await expect(page).toHaveURL(/\/repositories\/webteam\/?$/);
  await page.reload();
  const imageLink = page.getByRole('link', { name: 'site/frontend' });
  await expect(imageLink).toBeVisible();
  await shot('images');
  await imageLink.click();

  const row = page.getByTestId('artifact-row').first();
  await expect(row).toContainText('1.0');
  await expect(row).toContainText(written.manifestDigest.slice(7, 19));
  await expect(row.getByTestId('artifact-size')).toHaveAttribute('title', new RegExp(`${written.totalSize.toLocaleString('en-US')}|${written.totalSize}`));
  await expect(row.getByTestId('artifact-pull-count')).toHaveText('1');
  await noSeriousA11yFindings(page);
  await shot('image');
  fs.rmSync(work, { recursive: true, force: true });
});
