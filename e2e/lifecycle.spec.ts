import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import type { Artifact, Image, ImageDeletionPolicy, Page as ListPage, Tag } from '@berth/api';
import { skopeoCopy, writeImageLayout, writeIndexLayout, type ImageLayout, type IndexLayout } from '@berth/testkit';
import { expect, test } from './fixtures';
import { api, host, noSeriousA11yFindings, shots, signIn, url } from './helpers';

/**
 * The life cycle of what people push: image and tag locks, deleting a tag, many tags, an
 * artifact and a whole image, deletion policies (a repository default, an image's own) with
 * their test and a run. The tests build on each other, in order.
 */
const REPO = 'lifecycle';
test.describe.configure({ mode: 'serial' });

let work: string;
let creds: { username: string; password: string };
/** app: A (1.0, stable), B (2.0), an index (multi) whose amd64 image is also tagged amd64. */
let a: ImageLayout;
let b: ImageLayout;
let multi: IndexLayout;
let amd64: ImageLayout;
/** many: one manifest with 52 tags. */
let many: ImageLayout;
/** policy: `work` moved from m1 (left untagged) to m2; release-1 on m3; pinned on m4. */
let m1: ImageLayout;
let m2: ImageLayout;
let m3: ImageLayout;
let m4: ImageLayout;

const short = (digest: string) => `sha256:${digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
const enc = encodeURIComponent;
const imagePage = (image: string, tab?: string) => `/repositories/${REPO}/images/${image}${tab ? `?tab=${tab}` : ''}`;
const basic = () => `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
const adminBasic = () => `Basic ${Buffer.from(`admin:${process.env.BERTH_E2E_ADMIN_PASSWORD}`).toString('base64')}`;
const manyTags = Array.from({ length: 52 }, (_, i) => `t${String(i).padStart(2, '0')}`);

async function push(dir: string, tag: string, image: string, as = tag, all = false) {
  await skopeoCopy(`oci:${dir}:${tag}`, `docker://${host()}/${REPO}/${image}:${as}`, { destCreds: creds, all });
}

/** Tags a manifest that is already in the registry, through Berth's /v2 (as `docker tag` + push does). */
async function putManifest(image: string, tag: string, layout: ImageLayout) {
  const res = await fetch(`${url()}/v2/${REPO}/${image}/manifests/${tag}`, {
    method: 'PUT',
    headers: { authorization: basic(), 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: layout.manifestJson,
  });
  if (!res.ok) throw new Error(`PUT ${image}:${tag}: ${res.status} ${await res.text()}`);
}

/** An API call as admin that may fail: its status and body. */
async function call(method: string, p: string, body?: unknown): Promise<{ status: number; body: { error?: { code: string; details?: unknown } } }> {
  const res = await fetch(`${url()}/api/v1${p}`, {
    method,
    headers: { authorization: adminBasic(), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as { error?: { code: string; details?: unknown } } };
}

const artifactsOf = async (image: string) => (await api<ListPage<Artifact>>('GET', `/repositories/${REPO}/images/${enc(image)}/artifacts?limit=100`)).items;
const tagsOf = async (image: string) => (await api<ListPage<Tag>>('GET', `/repositories/${REPO}/images/${enc(image)}/tags?limit=100`)).items;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const repositories = await api<{ items: { name: string }[] }>('GET', `/repositories?q=${REPO}`);
  if (!repositories.items.some((r) => r.name === REPO)) await api('POST', '/repositories', { name: REPO, description: 'Locks, deletes and deletion policies' });
  const { secret } = await api<{ secret: string }>('POST', `/repositories/${REPO}/users`, { name: `ci-${Date.now()}`, permission: 'push' });
  creds = { username: REPO, password: secret };
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-lifecycle-'));

  const app = path.join(work, 'app');
  a = await writeImageLayout(app, { tag: '1.0', layers: [{ randomBytes: 40_000, seed: 'lifecycle-a' }] });
  b = await writeImageLayout(app, { tag: '2.0', layers: [{ randomBytes: 50_000, seed: 'lifecycle-b' }] });
  const amd64Layers = [{ files: { 'arch.txt': 'lifecycle amd64' } }];
  multi = await writeIndexLayout(app, {
    tag: 'multi',
    platforms: [
      { os: 'linux', architecture: 'amd64', layers: amd64Layers },
      { os: 'linux', architecture: 'arm64', layers: [{ files: { 'arch.txt': 'lifecycle arm64' } }] },
    ],
  });
  amd64 = await writeImageLayout(app, { tag: 'amd64', layers: amd64Layers, config: { os: 'linux', architecture: 'amd64' } });
  expect(amd64.manifestDigest, 'the amd64 image is the index’s child').toBe(multi.children[0]!.manifestDigest);
  await push(app, '1.0', 'app');
  await push(app, '1.0', 'app', 'stable');
  await push(app, '2.0', 'app');
  await push(app, 'multi', 'app', 'multi', true);
  await push(app, 'amd64', 'app');

  const manyDir = path.join(work, 'many');
  many = await writeImageLayout(manyDir, { tag: 't00', layers: [{ randomBytes: 20_000, seed: 'lifecycle-many' }] });
  await push(manyDir, 't00', 'many');
  for (const tag of manyTags.slice(1)) await putManifest('many', tag, many);

  const doomed = path.join(work, 'doomed');
  await writeImageLayout(doomed, { tag: 'x1', layers: [{ randomBytes: 30_000, seed: 'lifecycle-doomed-1' }] });
  await writeImageLayout(doomed, { tag: 'x3', layers: [{ randomBytes: 30_000, seed: 'lifecycle-doomed-2' }] });
  await push(doomed, 'x1', 'doomed');
  await push(doomed, 'x1', 'doomed', 'x2');
  await push(doomed, 'x3', 'doomed');

  const policy = path.join(work, 'policy');
  m1 = await writeImageLayout(policy, { tag: 'old', layers: [{ randomBytes: 70_000, seed: 'lifecycle-m1' }] });
  m2 = await writeImageLayout(policy, { tag: 'work', layers: [{ randomBytes: 20_000, seed: 'lifecycle-m2' }] });
  m3 = await writeImageLayout(policy, { tag: 'release-1', layers: [{ randomBytes: 20_000, seed: 'lifecycle-m3' }] });
  m4 = await writeImageLayout(policy, { tag: 'pinned', layers: [{ randomBytes: 20_000, seed: 'lifecycle-m4' }] });
  await push(policy, 'old', 'policy', 'work');
  await push(policy, 'work', 'policy'); // `work` moves to m2: m1 is left untagged
  await push(policy, 'release-1', 'policy');
  await push(policy, 'pinned', 'policy');
});

test.afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const tagRow = (page: Page, tag: string) => page.locator(`[data-testid="tag-row"][data-tag="${tag}"]`);
const artifactRow = (page: Page, digest: string) => page.locator(`[data-testid="artifact-row"][data-digest="${digest}"]`);

/** Screenshots from the top of the page: a full-page shot of a scrolled page shows the sticky header mid-page. */
async function topShots(page: Page, testInfo: TestInfo, name: string) {
  await page.evaluate('window.scrollTo(0, 0)');
  await shots(page, testInfo, name);
}

async function rowMenu(page: Page, row: Locator, item: string) {
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

test('Image lock: a switch on the Details tab; the badge in the summary and the images list; a locked image keeps its tags', async ({ page }, testInfo) => {
  await signIn(page, imagePage('app', 'details'));
  const lock = page.getByRole('switch', { name: 'Lock' });
  await expect(lock).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('image-lock')).toContainText('Unlocked: tags can be pushed, moved and deleted.');
  await lock.click();
  await expect(lock).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByText('Image app locked.')).toBeVisible();
  const summary = page.getByRole('region', { name: 'Image summary' });
  await expect(summary.getByTestId('image-lock-badge')).toHaveText('Locked');
  expect((await api<Image>('GET', `/repositories/${REPO}/images/app`)).locked).toBe(true);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'image-locked');

  // A tag of a locked image can't be deleted; the dialog says why.
  await page.getByRole('tab', { name: 'Tags', exact: true }).click();
  await rowMenu(page, tagRow(page, '2.0'), 'Delete tag');
  const dialog = page.getByRole('alertdialog', { name: 'Delete tag 2.0?' });
  await dialog.getByRole('button', { name: 'Delete tag' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The image is locked: unlock it on the Details tab first.');
  await shots(page, testInfo, 'delete-tag-image-locked');
  await page.keyboard.press('Escape');
  await expect(tagRow(page, '2.0')).toHaveCount(1);

  await page.goto(`${url()}/repositories/${REPO}`);
  const appRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'app', exact: true }) });
  await expect(appRow.getByTestId('image-lock-badge')).toHaveText('Locked');
  await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name: 'many', exact: true }) }).getByTestId('image-lock-badge')).toHaveCount(0);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'images-list-locked');

  await page.goto(`${url()}${imagePage('app', 'details')}`);
  await lock.click();
  await expect(lock).toHaveAttribute('aria-checked', 'false');
  await expect(summary.getByTestId('image-lock-badge')).toHaveCount(0);
  expect((await api<Image>('GET', `/repositories/${REPO}/images/app`)).locked).toBe(false);
});

test('Tags tab: sorted and filtered; lock a tag from the row menu; delete one tag while its digest and other tags stay', async ({ page }, testInfo) => {
  await signIn(page, imagePage('app', 'tags'));
  await expect(page.getByRole('tab', { name: 'Tags', exact: true })).toHaveAttribute('aria-selected', 'true');
  const table = page.getByRole('table', { name: 'Tags of app' });
  await expect(table.getByTestId('tag-name')).toHaveText(['1.0', '2.0', 'amd64', 'multi', 'stable']);
  await expect(tagRow(page, 'stable').getByTestId('tag-digest')).toHaveText(short(a.manifestDigest));
  await table.getByRole('button', { name: 'Tag', exact: true }).click();
  await expect(page).toHaveURL(/sort=name&order=desc|order=desc&sort=name/);
  await expect(table.getByTestId('tag-name').first()).toHaveText('stable');
  await page.getByRole('searchbox', { name: 'Filter tags by name' }).fill('a');
  await expect(table.getByTestId('tag-name')).toHaveText(['stable', 'amd64']);
  await page.getByRole('searchbox', { name: 'Filter tags by name' }).fill('');
  await expect(table.getByTestId('tag-row')).toHaveCount(5);

  await rowMenu(page, tagRow(page, 'stable'), 'Lock tag');
  await expect(page.getByText('Tag stable locked.')).toBeVisible();
  await expect(tagRow(page, 'stable').getByTestId('tag-lock')).toHaveText('Locked');
  expect((await tagsOf('app')).find((t) => t.name === 'stable')?.locked).toBe(true);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'tags');

  // The artifacts list shows the lock beside the tag's chip.
  await page.getByRole('tab', { name: 'Artifacts', exact: true }).click();
  await expect(artifactRow(page, a.manifestDigest).getByTestId('tag-lock')).toHaveCount(1);
  await expect(artifactRow(page, a.manifestDigest).getByTestId('tag-lock')).toHaveAttribute('title', 'Tag stable is locked');
  await expect(artifactRow(page, b.manifestDigest).getByTestId('tag-lock')).toHaveCount(0);
  await shots(page, testInfo, 'artifacts-locked-tag');

  // Delete 1.0: the artifact keeps its digest and its other tag.
  await page.getByRole('tab', { name: 'Tags', exact: true }).click();
  await rowMenu(page, tagRow(page, '1.0'), 'Delete tag');
  const dialog = page.getByRole('alertdialog', { name: 'Delete tag 1.0?' });
  await expect(dialog).toContainText(`The artifact ${short(a.manifestDigest)} it points at stays, with its digest and any other tags.`);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'delete-tag');
  await dialog.getByRole('button', { name: 'Delete tag' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Tag 1.0 deleted.')).toBeVisible();
  await expect(tagRow(page, '1.0')).toHaveCount(0);
  await expect(tagRow(page, 'stable').getByTestId('tag-digest')).toHaveText(short(a.manifestDigest));
  expect((await artifactsOf('app')).find((x) => x.digest === a.manifestDigest)?.tags).toEqual(['stable']);

  // A locked tag is refused, in words.
  await rowMenu(page, tagRow(page, 'stable'), 'Delete tag');
  const locked = page.getByRole('alertdialog', { name: 'Delete tag stable?' });
  await locked.getByRole('button', { name: 'Delete tag' }).click();
  await expect(locked.getByRole('alert')).toHaveText('Tag stable is locked: unlock it first.');
  await shots(page, testInfo, 'delete-tag-locked');
  await locked.getByRole('button', { name: 'Cancel' }).click();
  await expect(tagRow(page, 'stable')).toHaveCount(1);

  await page.getByLabel('Language', { exact: true }).selectOption('vi');
  await expect(page.getByRole('tab', { name: 'Tag', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(tagRow(page, 'stable').getByTestId('tag-lock')).toHaveText('Đã khóa');
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'tags-vi');
});

test('Bulk delete: more than 50 selected is refused with a message; 50 go after a confirmation that lists them', async ({ page }, testInfo) => {
  await signIn(page, imagePage('many', 'tags'));
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page.getByText('Showing all 52.')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all shown tags' }).check();
  await expect(page.getByRole('status').filter({ hasText: '52 tags selected' })).toBeVisible();
  await expect(page.getByTestId('bulk-limit')).toHaveText('At most 50 tags can be deleted at once.');
  await expect(page.getByRole('button', { name: 'Delete 52 tags' })).toBeDisabled();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'bulk-limit');

  // The API refuses 51 whole: nothing is deleted.
  const refused = await call('POST', `/repositories/${REPO}/images/many/tags:delete`, { tags: manyTags.slice(0, 51) });
  expect(refused.status).toBe(400);
  expect(refused.body.error?.code).toBe('VALIDATION_FAILED');
  expect(await tagsOf('many')).toHaveLength(52);

  // The last two rows are further down the (virtualized) list.
  await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
  for (const tag of ['t51', 't50']) await tagRow(page, tag).getByRole('checkbox').uncheck();
  await expect(page.getByTestId('bulk-limit')).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete 50 tags' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete 50 tags?' });
  await expect(dialog.getByTestId('delete-tags-list').getByRole('listitem')).toHaveCount(50);
  await expect(dialog.getByTestId('delete-tags-list')).toContainText('t00');
  await expect(dialog.getByTestId('delete-tags-list')).toContainText('t49');
  await expect(dialog.getByTestId('delete-tags-list')).not.toContainText('t50');
  await expect(dialog).toContainText('The artifacts they point at stay, with their digests');
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'bulk-delete-confirm');
  await dialog.getByRole('button', { name: 'Delete 50 tags' }).click();
  const result = page.getByRole('alertdialog', { name: 'What became of the tags' });
  await expect(result.getByTestId('delete-tags-result')).toContainText('50 deleted, 0 refused, 0 already gone.');
  await expect(result.locator('[data-testid="delete-tag-result"][data-outcome="deleted"]')).toHaveCount(50);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'bulk-delete-result');
  await result.getByRole('button', { name: 'Done' }).click();
  await expect(result).toBeHidden();
  await expect(page.getByTestId('tag-row')).toHaveCount(2);
  await expect(page.getByTestId('tag-name')).toHaveText(['t50', 't51']);
  const left = await artifactsOf('many');
  expect(left.map((x) => ({ digest: x.digest, tags: x.tags }))).toEqual([{ digest: many.manifestDigest, tags: ['t50', 't51'] }]);
});

test('Delete artifact: the confirmation names the digest and its tags; an index that lists it and a locked tag refuse in words', async ({ page }, testInfo) => {
  await signIn(page, imagePage('app'));
  // The amd64 image is listed by the index `multi`.
  await rowMenu(page, artifactRow(page, amd64.manifestDigest), 'Delete artifact');
  const referenced = page.getByRole('alertdialog', { name: `Delete artifact ${short(amd64.manifestDigest)}?` });
  await expect(referenced.getByTestId('delete-artifact-digest')).toHaveText(amd64.manifestDigest);
  await expect(referenced.getByTestId('delete-artifact-tags')).toHaveText('amd64');
  await referenced.getByRole('button', { name: 'Delete artifact' }).click();
  await expect(referenced.getByRole('alert')).toHaveText(`${short(amd64.manifestDigest)} is listed by index ${short(multi.indexDigest)}; delete that first.`);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'delete-artifact-referenced');
  await page.keyboard.press('Escape');

  // A carries the locked tag `stable`.
  await rowMenu(page, artifactRow(page, a.manifestDigest), 'Delete artifact');
  const locked = page.getByRole('alertdialog', { name: `Delete artifact ${short(a.manifestDigest)}?` });
  await expect(locked.getByTestId('delete-artifact-tags')).toContainText('stable');
  await expect(locked.getByTestId('delete-artifact-tags')).toContainText('Locked');
  await locked.getByRole('button', { name: 'Delete artifact' }).click();
  await expect(locked.getByRole('alert')).toHaveText('Tag stable is locked: unlock it first.');
  await shots(page, testInfo, 'delete-artifact-locked');
  await page.keyboard.press('Escape');

  // B goes, with its tag.
  await rowMenu(page, artifactRow(page, b.manifestDigest), 'Delete artifact');
  const dialog = page.getByRole('alertdialog', { name: `Delete artifact ${short(b.manifestDigest)}?` });
  await expect(dialog).toContainText('Its tag goes with it:');
  await expect(dialog.getByTestId('delete-artifact-tags')).toHaveText('2.0');
  await shots(page, testInfo, 'delete-artifact');
  await dialog.getByRole('button', { name: 'Delete artifact' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(new RegExp(`^Artifact ${short(b.manifestDigest)} deleted; .+ freed\\.$`))).toBeVisible();
  await expect(artifactRow(page, b.manifestDigest)).toHaveCount(0);
  expect((await artifactsOf('app')).map((x) => x.digest)).not.toContain(b.manifestDigest);
  expect((await tagsOf('app')).map((t) => t.name)).not.toContain('2.0');
});

test('Delete image: the confirmation says what goes and wants the name typed; a lock refuses; then back to the repository', async ({ page }, testInfo) => {
  await api('PATCH', `/repositories/${REPO}/images/doomed`, { locked: true });
  await signIn(page, imagePage('doomed', 'details'));
  await page.getByRole('button', { name: 'Delete image' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete image doomed?' });
  await expect(dialog).toContainText(`This deletes 2 artifacts and 3 tags of ${REPO}/doomed from the registry. It cannot be undone.`);
  const confirm = dialog.getByRole('button', { name: 'Delete image' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type doomed to confirm').fill('doome');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Type doomed to confirm').fill('doomed');
  await expect(confirm).toBeEnabled();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'delete-image');
  await confirm.click();
  await expect(dialog.getByRole('alert')).toHaveText('The image is locked: unlock it on the Details tab first.');
  await shots(page, testInfo, 'delete-image-locked');

  await api('PATCH', `/repositories/${REPO}/images/doomed`, { locked: false });
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/repositories/${REPO}$`));
  await expect(page.getByText(/^Image doomed deleted; .+ freed\.$/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'doomed', exact: true })).toHaveCount(0);
  expect((await call('GET', `/repositories/${REPO}/images/doomed`)).status).toBe(404);
  await shots(page, testInfo, 'delete-image-done');
});

test('Deletion policy: the repository default with a field message; an image inherits it read-only, then sets its own', async ({ page }, testInfo) => {
  // No policy yet: the test deletes nothing and Run now waits for an enabled policy.
  await signIn(page, imagePage('policy', 'policy-test'));
  await expect(page.getByTestId('policy-test-disabled')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run now' })).toBeDisabled();

  await page.goto(`${url()}/repositories/${REPO}/deletion-policy`);
  await expect(page.getByRole('tab', { name: 'Deletion policy' })).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByTestId('repository-deletion-policy');
  await expect(panel).toContainText('Not set yet: images without a policy of their own keep everything.');
  await expect(panel.getByTestId('policy-runs-at')).toHaveText(/^Runs daily at \d\d:\d\d UTC\.$/);
  await expect(panel.getByTestId('policy-rules-text')).toHaveText(
    'An artifact is deleted when a delete rule matches and no keep rule does; locked tags, referenced artifacts and keep rules always win; a tag that shares a digest with a kept tag is kept.',
  );
  const olderThan = panel.getByLabel('Delete artifacts older than (days)');
  await panel.getByLabel('Enabled (runs daily)').check();
  await panel.getByLabel('Delete untagged artifacts').check();
  await olderThan.fill('0');
  await panel.getByRole('button', { name: 'Save policy' }).click();
  await expect(olderThan).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByText('Between 1 and 3650 days.')).toBeVisible();
  await noSeriousA11yFindings(page);
  await topShots(page, testInfo, 'repository-policy-invalid');
  await olderThan.fill('90');
  await panel.getByLabel('Keep tags matching').fill('release-*');
  await panel.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Deletion policy saved.')).toBeVisible();
  await page.reload();
  await expect(olderThan).toHaveValue('90');
  await expect(panel).not.toContainText('Not set yet');
  await topShots(page, testInfo, 'repository-policy');

  // The server checks the same bounds and names the field, as the form reads it.
  const bad = await call('PUT', `/repositories/${REPO}/deletion-policy`, { enabled: true, untagged: false, olderThanDays: 0 });
  expect(bad.status).toBe(400);
  expect(bad.body.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'olderThanDays' })]));

  // The image inherits the default: its rules are shown, read-only.
  await page.goto(`${url()}${imagePage('policy', 'details')}`);
  const section = page.getByTestId('image-deletion-policy');
  await expect(section.getByRole('radio', { name: 'Use repository default' })).toBeChecked();
  await expect(section.getByTestId('policy-applies')).toHaveText('This image uses the repository default.');
  await expect(section.getByLabel('Delete artifacts older than (days)')).toHaveValue('90');
  await expect(section.getByLabel('Delete artifacts older than (days)')).toBeDisabled();
  await expect(section.getByLabel('Keep tags matching')).toHaveValue('release-*');
  await noSeriousA11yFindings(page);
  await topShots(page, testInfo, 'image-policy-inherited');

  // Its own policy: untagged artifacts go, release-* is kept; a bad pattern is named under its field.
  await section.getByRole('radio', { name: 'Set a policy for this image' }).check();
  await expect(section.getByLabel('Delete artifacts older than (days)')).toBeEnabled();
  await section.getByLabel('Delete artifacts older than (days)').fill('');
  await section.getByLabel('Keep tags matching').fill('release-*, bad pattern!');
  await section.getByRole('button', { name: 'Save policy' }).click();
  await expect(section.getByText('“bad pattern!”: use letters, digits, _ . - and the wildcards * and ?.')).toBeVisible();
  await topShots(page, testInfo, 'image-policy-invalid');
  await section.getByLabel('Keep tags matching').fill('release-*');
  await section.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Deletion policy saved.')).toBeVisible();
  await expect(section.getByTestId('policy-applies')).toHaveText('This image has a policy of its own.');
  const saved = await api<ImageDeletionPolicy>('GET', `/repositories/${REPO}/images/policy/deletion-policy`);
  expect(saved).toMatchObject({
    source: 'image',
    policy: { enabled: true, untagged: true, olderThanDays: null, keepNewest: null, keepPulledWithinDays: null, keepTagPatterns: ['release-*'] },
  });
  await topShots(page, testInfo, 'image-policy');
});

test('Policy test tab: what would be deleted and kept, with reasons in words; Run now deletes exactly that', async ({ page }, testInfo) => {
  await api('PATCH', `/repositories/${REPO}/images/policy/tags/pinned`, { locked: true });
  await signIn(page, imagePage('policy', 'policy-test'));
  const deletes = page.getByTestId('would-delete');
  await expect(deletes).toHaveCount(1);
  await expect(deletes).toHaveAttribute('data-digest', m1.manifestDigest);
  await expect(deletes.getByRole('rowheader')).toHaveText('untagged');
  await expect(deletes.getByTestId('verdict-reason')).toHaveText('Untagged');
  const keep = (tag: string) => page.locator(`[data-testid="would-keep"][data-tag="${tag}"]`);
  await expect(keep('work').getByTestId('verdict-reason')).toHaveText('No delete rule matches');
  await expect(keep('work')).toHaveAttribute('data-digest', m2.manifestDigest);
  await expect(keep('release-1').getByTestId('verdict-reason')).toHaveText('Tag matches release-*');
  await expect(keep('release-1')).toHaveAttribute('data-digest', m3.manifestDigest);
  await expect(keep('pinned').getByTestId('verdict-reason')).toHaveText('Tag pinned is locked');
  await expect(keep('pinned')).toHaveAttribute('data-digest', m4.manifestDigest);
  const bytes = Number(await page.getByTestId('policy-test-bytes').getAttribute('data-bytes'));
  expect(bytes).toBeGreaterThan(70_000);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'policy-test');

  // Testing again asks again.
  const again = page.waitForResponse((r) => r.url().endsWith('/deletion-policy/test') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Test policy' }).click();
  await again;
  await expect(deletes).toHaveCount(1);

  await page.getByRole('button', { name: 'Run now' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Run the deletion policy of policy now?' });
  await expect(dialog).toContainText('It deletes exactly the 1 item listed under “Would delete”');
  await expect(dialog.getByTestId('run-policy-list').getByRole('listitem')).toHaveCount(1);
  await expect(dialog.getByTestId('run-policy-list')).toContainText(short(m1.manifestDigest));
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'run-policy-confirm');
  await dialog.getByRole('button', { name: 'Delete now' }).click();
  await expect(dialog).toBeHidden();
  const report = page.getByTestId('policy-run-result');
  await expect(report.getByTestId('policy-run-summary')).toHaveText(/^1 deleted, 0 refused; .+ freed\.$/);
  await expect(report.getByTestId('run-deleted')).toHaveAttribute('data-digest', m1.manifestDigest);
  await expect(page.getByText('Nothing would be deleted.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run now' })).toBeDisabled();
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'policy-run');
  const left = (await artifactsOf('policy')).map((x) => x.digest).sort();
  expect(left).toEqual([m2.manifestDigest, m3.manifestDigest, m4.manifestDigest].sort());
});

test('A viewer reads locks, tags, policies and the policy test, and changes none of them', async ({ page }, testInfo) => {
  const username = `viewer${Date.now()}`;
  await api('POST', '/accounts', { username, password: 'viewer-password-1', role: 'viewer' });
  await signIn(page, imagePage('app', 'tags'), { username, password: 'viewer-password-1' });
  await expect(tagRow(page, 'stable').getByTestId('tag-lock')).toHaveText('Locked');
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await tagRow(page, 'stable').getByRole('button', { name: 'Actions for tag stable' }).click();
  await expect(page.getByRole('menuitem')).toHaveText(['Copy pull command', 'Show vulnerabilities']);
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'Details', exact: true }).click();
  await expect(page.getByTestId('image-lock')).toContainText('Unlocked');
  await expect(page.getByTestId('image-lock').getByRole('switch')).toHaveCount(0);
  // The scan settings and pull restriction show their switches read-only.
  await expect(page.getByRole('switch').first()).toBeVisible();
  for (const s of await page.getByRole('switch').all()) await expect(s).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Delete image' })).toHaveCount(0);
  const section = page.getByTestId('image-deletion-policy');
  await expect(section).toContainText('Only admins change the deletion policy.');
  await expect(section.getByRole('button', { name: 'Save policy' })).toHaveCount(0);
  await expect(section.getByRole('radio', { name: 'Use repository default' })).toBeDisabled();

  await page.getByRole('tab', { name: 'Policy test', exact: true }).click();
  await expect(page.getByTestId('policy-test-summary')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Test policy' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Run now' })).toHaveCount(0);
  await noSeriousA11yFindings(page);
  await shots(page, testInfo, 'viewer-policy-test');
});
