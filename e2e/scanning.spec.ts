import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import type { ArtifactScan, ImagePullRestriction, ImageScanSettings, Page as ListPage, Tag } from '@berth/api';
import { CommandError, createPodman, skopeoCopy, writeImageLayout, type ImageLayout } from '@berth/testkit';
import { ADVISORIES } from './fixtures-advisories';
import { expect, test } from './fixtures';
import { api, host, noSeriousA11yFindings, shots, signIn } from './helpers';

/**
 * Vulnerability scanning and pull restriction, against the small OSV database global-setup
 * gives Berth: scan settings on the image's Details tab, a Vulnerability check from the Tags
 * tab, the results (vulnerabilities, secrets masked), then a pull restriction that refuses
 * the image, in the tag row and for a real podman pull. The tests build on each other.
 */
const REPO = 'scanning';
const IMAGE = 'app';
test.describe.configure({ mode: 'serial' });

/** A key shaped like an AWS access key ID (not the documentation's EXAMPLE one), planted in the image. */
const PLANTED_KEY = 'AKIAQ3EGRZ7XW5TNVB4K';

let work: string;
let creds: { username: string; password: string };
let layout: ImageLayout;

const enc = encodeURIComponent;
const imagePage = (tab?: string) => `/repositories/${REPO}/images/${IMAGE}${tab ? `?tab=${tab}` : ''}`;
const apiImage = `/repositories/${REPO}/images/${IMAGE}`;
const tagRow = (page: Page, tag: string) => page.locator(`[data-testid="tag-row"][data-tag="${tag}"]`);

/** Screenshots from the top of the page (a full-page shot of a scrolled page shows the sticky header mid-page). */
async function topShots(page: Page, testInfo: TestInfo, name: string) {
  await page.evaluate('window.scrollTo(0, 0)');
  await shots(page, testInfo, name);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const repositories = await api<{ items: { name: string }[] }>('GET', `/repositories?q=${REPO}`);
  if (!repositories.items.some((r) => r.name === REPO)) await api('POST', '/repositories', { name: REPO, description: 'Vulnerability scanning and pull restriction' });
  const { secret } = await api<{ secret: string }>('POST', `/repositories/${REPO}/users`, { name: `ci-${Date.now()}`, permission: 'push' });
  creds = { username: REPO, password: secret };
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-scanning-'));
  const dir = path.join(work, 'app');
  layout = await writeImageLayout(dir, {
    tag: '1.0',
    config: { os: 'linux', architecture: 'amd64', cmd: ['node', 'app/server.js'] },
    layers: [
      {
        files: {
          'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
          // libssl3 is built from the openssl source package, which the Debian advisory names.
          'var/lib/dpkg/status': [
            'Package: libssl3',
            'Status: install ok installed',
            'Priority: optional',
            'Architecture: amd64',
            'Source: openssl',
            'Version: 3.0.9-1',
            'Description: Secure Sockets Layer toolkit - shared libraries',
            '',
          ].join('\n'),
        },
      },
      {
        files: {
          'node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.20', license: 'MIT' }, null, 2),
          'app/server.js': "require('lodash');\n",
          'app/.env': `NODE_ENV=production\nAWS_ACCESS_KEY_ID=${PLANTED_KEY}\n`,
        },
      },
    ],
  });
  await skopeoCopy(`oci:${dir}:1.0`, `docker://${host()}/${REPO}/${IMAGE}:1.0`, { destCreds: creds });
});

test.afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('Scan settings on the Details tab: scan on push and exclusions, the image’s own', async ({ page }, testInfo) => {
  await signIn(page, imagePage('details'));
  const section = page.getByTestId('image-scan-settings');
  await expect(section.getByTestId('setting-applies')).toHaveText('Built-in default: no scan on push, nothing excluded.');
  await section.getByLabel('Set scan settings for this image').check();
  const scanOnPush = section.getByRole('switch', { name: 'Scan on push' });
  await expect(scanOnPush).toHaveAttribute('aria-checked', 'false');
  await scanOnPush.click();
  await expect(scanOnPush).toHaveAttribute('aria-checked', 'true');
  await expect(section).toContainText('Scans each artifact pushed after this is turned on.');
  // Exclusions are there to read; this image leaves nothing out (its counts are asserted below).
  await expect(section.getByLabel('Secrets')).not.toBeChecked();
  await expect(section.getByLabel('Exclude levels at or below')).toHaveValue('');
  await section.getByRole('button', { name: 'Save scan settings' }).click();
  await expect(page.getByText('Scan settings saved.')).toBeVisible();
  await expect(section.getByTestId('setting-applies')).toHaveText('This image has settings of its own.');
  const saved = await api<ImageScanSettings>('GET', `${apiImage}/scan-settings`);
  expect(saved).toMatchObject({ source: 'image', settings: { scanOnPush: true, exclude: { languagePackages: false, secrets: false, withoutFix: false, atOrBelow: null } } });
  await section.scrollIntoViewIfNeeded();
  await noSeriousA11yFindings(page);
  await section.screenshot({ path: testInfo.outputPath('scanning-settings.png') });
  await topShots(page, testInfo, 'scanning-details');
});

test('Vulnerability check from the Tags tab: the row shows Queued, then when it was inspected and its counts', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, imagePage('tags'));
  const bar = page.getByTestId('image-scan-bar');
  await expect(bar.getByTestId('db-notice')).toContainText('Advisory database');
  await expect(bar.getByTestId('db-warning')).toHaveCount(0);
  await bar.getByRole('button', { name: 'Vulnerability check' }).click();
  // An artifact already waiting is not queued twice: 0 or 1 of the image's one artifact.
  await expect(page.getByText(/Vulnerability check: [01] of 1 artifact queued\./)).toBeVisible();
  // The list reads itself again every 2 s while the scan waits or runs.
  const cell = tagRow(page, '1.0').getByTestId('scan-cell');
  await expect(cell).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const counts = cell.getByTestId('scan-counts');
  await expect(counts.locator('[data-level="critical"]')).toHaveAttribute('data-count', '1');
  await expect(counts.getByText('1 Critical')).toBeAttached();
  await expect(cell.getByTestId('scan-inspected')).toContainText('Inspected');
  await expect(cell.getByTestId('pull-restricted')).toHaveCount(0);
  const scan = await api<ArtifactScan>('GET', `${apiImage}/artifacts/${enc(layout.manifestDigest)}/scan`);
  expect(scan).toMatchObject({ status: 'done', summary: { critical: 1 }, pullRefusal: null });
  expect(scan.secrets).toBeGreaterThanOrEqual(1);
  expect(scan.platforms.map((p) => p.platform)).toEqual(['linux/amd64']);
  await topShots(page, testInfo, 'scanning-tags');
});

test('Scan results: vulnerabilities filtered and linked to their advisories, secrets masked, exports', async ({ page }, testInfo) => {
  await signIn(page, imagePage('tags'));
  await tagRow(page, '1.0').getByTestId('scan-counts-link').click();
  await expect(page).toHaveURL(new RegExp(`/repositories/${REPO}/scans/${layout.manifestDigest}/${IMAGE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Scan of ${layout.manifestDigest.slice(0, 'sha256:'.length + 12)}`);
  const summary = page.getByTestId('scan-summary');
  await expect(summary.getByTestId('scan-status')).toHaveText('Scanned');
  await expect(summary.getByTestId('scan-platforms')).toContainText('linux/amd64');
  await expect(summary.getByTestId('scan-database')).toBeVisible();
  await expect(summary.getByTestId('db-notice')).toContainText('2 records');

  const lodash = page.locator(`[data-testid="vuln-row"][data-id="${ADVISORIES.lodash.id}"]`);
  await expect(lodash).toContainText('lodash');
  await expect(lodash).toContainText('4.17.20');
  await expect(lodash).toContainText('4.17.21');
  await expect(lodash.getByTestId('severity')).toHaveAttribute('data-severity', 'critical');
  const link = lodash.getByTestId('advisory-link');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(page.locator(`[data-testid="vuln-row"][data-id="${ADVISORIES.debian.id}"]`)).toContainText('openssl');
  await expect(page.getByTestId('vuln-total')).toHaveAttribute('data-total', '2');
  await noSeriousA11yFindings(page);
  await topShots(page, testInfo, 'scanning-vulnerabilities');

  // Filters live in the URL (the box shows it once the URL has it) and are sent to the server.
  const critical = page.getByLabel('Critical', { exact: true });
  await critical.click();
  await expect(critical).toBeChecked();
  await expect(page).toHaveURL(/severity=critical/);
  await expect(page.getByTestId('vuln-total')).toHaveAttribute('data-total', '1');
  await expect(page.locator('[data-testid="vuln-row"]')).toHaveCount(1);
  await critical.click();
  await expect(critical).not.toBeChecked();
  await page.getByRole('searchbox', { name: 'Search advisory, package or title' }).fill('openssl');
  await expect(page).toHaveURL(/q=openssl/);
  await expect(page.locator('[data-testid="vuln-row"]')).toHaveCount(1);
  await expect(page.locator(`[data-testid="vuln-row"][data-id="${ADVISORIES.debian.id}"]`)).toBeVisible();

  const report = await page.request.get(await page.getByTestId('export-report').getAttribute('href').then((h) => h!));
  expect(report.ok()).toBe(true);
  const sbom = await page.request.get(await page.getByTestId('export-sbom').getAttribute('href').then((h) => h!));
  expect(sbom.ok()).toBe(true);
  expect(((await sbom.json()) as { bomFormat?: string }).bomFormat).toBe('CycloneDX');

  await page.getByRole('tab', { name: /^Secrets/ }).click();
  await expect(page).toHaveURL(/tab=secrets/);
  const secret = page.locator('[data-testid="secret-row"][data-rule="aws-access-key-id"]');
  await expect(secret).toHaveCount(1);
  await expect(secret.getByTestId('secret-where')).toHaveText(/app\/\.env:2$/);
  const masked = await secret.getByTestId('secret-masked').innerText();
  expect(masked).not.toBe(PLANTED_KEY);
  expect(masked.length).toBeGreaterThan(0);
  expect(await page.content()).not.toContain(PLANTED_KEY);
  await noSeriousA11yFindings(page);
  await topShots(page, testInfo, 'scanning-secrets');
});

test('Pull restriction: a Critical limit of 1 refuses the image, in the tag row and for podman', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, imagePage('details'));
  const section = page.getByTestId('image-pull-restriction');
  await section.getByLabel('Set a restriction for this image').check();
  await section.getByRole('switch', { name: 'Restrict pulls' }).click();
  const critical = section.getByLabel('Refuse when Critical vulnerabilities reach');
  await critical.check();
  const count = section.getByLabel('Critical vulnerabilities that refuse a pull');
  // Field-level validation before anything is sent, as the deletion policy form does.
  await count.fill('0');
  await section.getByRole('button', { name: 'Save pull restriction' }).click();
  await expect(section.getByText('Between 1 and 9,999,999.')).toBeVisible();
  await expect(count).toHaveAttribute('aria-invalid', 'true');
  await count.fill('1');
  await section.getByRole('button', { name: 'Save pull restriction' }).click();
  await expect(page.getByText('Pull restriction saved.')).toBeVisible();
  const saved = await api<ImagePullRestriction>('GET', `${apiImage}/pull-restriction`);
  expect(saved).toMatchObject({ source: 'image', restriction: { enabled: true, criticalLimit: 1, highLimit: null, refuseUnscanned: false, ignoreWithoutFix: false } });
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: testInfo.outputPath('scanning-pull-restriction.png') });

  // The console: the tag row says a pull is refused, and what the pull is told.
  await page.getByRole('tab', { name: 'Tags' }).click();
  const badge = tagRow(page, '1.0').getByTestId('pull-restricted');
  await expect(badge).toHaveText('Pull restricted');
  const refusal = (await badge.getAttribute('data-refusal')) ?? '';
  expect(refusal).toMatch(/1 Critical vulnerabilit/);
  await expect(badge).toHaveAttribute('title', refusal);
  const tags = await api<ListPage<Tag>>('GET', `${apiImage}/tags`);
  expect(tags.items.find((t) => t.name === '1.0')?.scan?.pullRefusal).toBe(refusal);
  await noSeriousA11yFindings(page);
  await badge.hover();
  await topShots(page, testInfo, 'scanning-pull-refused');
  // The results say the same, in words.
  await tagRow(page, '1.0').getByTestId('scan-counts-link').click();
  await expect(page.getByTestId('pull-refusal')).toContainText(refusal);
  await topShots(page, testInfo, 'scanning-pull-refused-results');

  // A real pull through Berth's front door is refused, naming the rule and the counts.
  const podman = await createPodman();
  try {
    const error = await podman.pull(`${host()}/${REPO}/${IMAGE}:1.0`, { creds }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, 'the pull is refused').toBeInstanceOf(CommandError);
    const stderr = (error as CommandError).stderr;
    expect(stderr).toMatch(/denied/i);
    expect(stderr).toMatch(/pull restricted: .*1 Critical vulnerabilities.*the limit is 1/);
  } finally {
    await podman.cleanup();
  }
});

test('Repository defaults: a Scanning tab beside the deletion policy, for images without settings of their own', async ({ page }, testInfo) => {
  await signIn(page, `/repositories/${REPO}/scanning`);
  await expect(page.getByRole('tab', { name: 'Scanning' })).toHaveAttribute('aria-selected', 'true');
  const settings = page.getByTestId('repository-scan-settings');
  await expect(settings).toContainText('Not set yet');
  await settings.getByLabel('Vulnerabilities without a fix version').check();
  await settings.getByRole('button', { name: 'Save scan settings' }).click();
  await expect(page.getByText('Scan settings saved.')).toBeVisible();
  await expect(settings).not.toContainText('Not set yet');
  const saved = await api<{ settings: { exclude: { withoutFix: boolean } }; configured: boolean }>('GET', `/repositories/${REPO}/scan-settings`);
  expect(saved).toMatchObject({ configured: true, settings: { exclude: { withoutFix: true } } });
  // The image keeps its own settings: the default is what it would inherit.
  expect((await api<ImageScanSettings>('GET', `${apiImage}/scan-settings`)).source).toBe('image');
  await expect(page.getByTestId('repository-pull-restriction').getByRole('switch', { name: 'Restrict pulls' })).toHaveAttribute('aria-checked', 'false');
  await noSeriousA11yFindings(page);
  await topShots(page, testInfo, 'scanning-repository-defaults');
});
