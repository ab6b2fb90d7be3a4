import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactScan, Page, SecretList, Tag, VulnerabilityDatabase, VulnerabilityPage } from '@berth/api';
import { MediaType, RegistryClient } from '@berth/oci';
import { createPodman, skopeoCopy, writeImageLayout, writeIndexLayout, type Podman } from '@berth/testkit';
import { eventually, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const enc = encodeURIComponent;
/** A planted AWS key: its value must never come back from Berth. */
const PLANTED_KEY_ID = 'AKIAZ7QRSTUVWX234567';
const PLANTED_SECRET = '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';

/** This machine is Debian 12: its own dpkg database and os-release are real package metadata. */
const dpkgStatus = fs.readFileSync('/var/lib/dpkg/status', 'utf8');
const osRelease = fs.readFileSync('/etc/os-release', 'utf8');
const [zlibVersion, zlibSource] = execFileSync('dpkg-query', ['-W', '-f', '${Version} ${source:Package}', 'zlib1g'], { encoding: 'utf8' }).split(' ') as [string, string];
const debianRelease = /^VERSION_ID="?(\d+)/m.exec(osRelease)![1]!;
/** The installed binary packages built from zlib's source (zlib1g, and zlib1g-dev where installed): each carries the advisory. */
const zlibBinaries = execFileSync('dpkg-query', ['-W', '-f', '${source:Package} ${Package} ${db:Status-Abbrev}\n'], { encoding: 'utf8' })
  .split('\n')
  .map((l) => l.trim().split(' '))
  .filter(([source, , status]) => source === zlibSource && status === 'ii')
  .map(([, name]) => name!)
  .sort();
const highs = zlibBinaries.length;

/** OSV records as the OSV project publishes them, written for this test. */
function osvRecords(opts: { withZlib: boolean }) {
  const records: Record<string, unknown>[] = [
    {
      id: 'GHSA-t3st-l0da-sh01',
      modified: '2026-11-01T00:00:00Z',
      aliases: ['CVE-2099-0001'],
      summary: 'Prototype pollution in lodash',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
      references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-t3st-l0da-sh01' }],
    },
    {
      id: 'GHSA-t3st-l0da-sh02',
      modified: '2026-11-01T00:00:00Z',
      summary: 'An old lodash problem, fixed long ago',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.12' }] }] }],
    },
  ];
  if (opts.withZlib) {
    records.push({
      id: 'DLA-9999-1',
      modified: '2026-11-02T00:00:00Z',
      aliases: ['CVE-2099-0002'],
      summary: 'zlib: heap overflow in inflate',
      affected: [
        {
          package: { ecosystem: `Debian:${debianRelease}`, name: zlibSource },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${zlibVersion}+deb${debianRelease}u99` }] }],
          database_specific: { urgency: 'high' },
        },
      ],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N' }],
    });
  }
  return records;
}

function writeDatabase(dir: string, opts: { withZlib: boolean }) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const r of osvRecords(opts)) fs.writeFileSync(path.join(dir, `${r.id as string}.json`), JSON.stringify(r));
}

/**
 * Scanning and pull restriction through Berth, on the registry this run tests against:
 * images built from real package metadata (this Debian machine's dpkg database and
 * os-release, an npm package) with a planted key, scanned on push from a small OSV
 * database written here; podman pulls refused and allowed as the restriction, the
 * exclusions and the database change.
 */
describe('scanning and pull restriction', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let dbDir: string;
  let pusher: { username: string; password: string };
  let puller: { username: string; password: string };
  let podman: Podman;
  let web: { manifestDigest: string };

  const scanOf = (image: string, digest: string) => berth.api<ArtifactScan>('GET', `/repositories/team/images/${enc(image)}/artifacts/${digest}/scan`);
  const scanned = (image: string, digest: string) =>
    eventually(async () => {
      const s = (await scanOf(image, digest)).body;
      if (s.status !== 'done' && s.status !== 'unsupported' && s.status !== 'failed') throw new Error(`scan is ${s.status}`);
      return s;
    }, 60_000);
  const pull = (ref: string) => podman.pull(`${berth.host}/${ref}`, { creds: puller });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-scanning-'));
    dbDir = path.join(work, 'osv');
    writeDatabase(dbDir, { withZlib: true });
    registry = await startUpstream();
    berth = await startBerth(registry.url, { env: { BERTH_VULN_DB: dbDir, BERTH_VULN_DB_CHECK_SECONDS: '1', BERTH_JOB_POLL_MS: '100', BERTH_SCAN_CONCURRENCY: '2' } });
    pusher = { username: 'team', password: await repositoryWithUser(berth, 'team', 'ci', 'push') };
    puller = { username: 'team', password: await repositoryWithUser(berth, 'team', 'runner', 'pull') };
    podman = await createPodman();
  });
  afterAll(async () => {
    await podman?.cleanup();
    await berth?.stop();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('loads the advisory database and says how old it is', async () => {
    const db = await berth.api<VulnerabilityDatabase>('GET', '/vulnerability-database');
    expect(db.body).toMatchObject({ loaded: true, records: 3, stale: expect.any(Boolean), staleAfterDays: 7 });
    expect(db.body.ecosystems.map((e) => e.name).sort()).toEqual(['Debian', 'npm']);
  });

  it('scans on push: OS and npm packages matched, a planted key found and masked', async () => {
    expect((await berth.api('PUT', '/repositories/team/scan-settings', { scanOnPush: true, exclude: { languagePackages: false, secrets: false, withoutFix: false, atOrBelow: null } })).status).toBe(200);
    const layout = await writeImageLayout(path.join(work, 'web'), {
      tag: 'x',
      layers: [
        { files: { 'etc/os-release': osRelease, 'var/lib/dpkg/status': dpkgStatus } },
        {
          files: {
            'usr/src/app/node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.20', license: 'MIT' }),
            'usr/src/app/.env': `NODE_ENV=production\nAWS_ACCESS_KEY_ID=${PLANTED_KEY_ID}\naws_secret_access_key = ${PLANTED_SECRET}\n`,
          },
        },
      ],
    });
    web = layout;
    await skopeoCopy(`oci:${path.join(work, 'web')}:x`, `docker://${berth.host}/team/web:1.0`, { destCreds: pusher });
    const scan = await scanned('web', layout.manifestDigest);
    expect(scan).toMatchObject({ status: 'done', pullRefusal: null, summary: { critical: 1, high: highs }, fixable: { critical: 1, high: highs }, secrets: expect.any(Number) });
    expect(scan.secrets).toBeGreaterThanOrEqual(1);
    const installed = dpkgStatus.split(/\n\n+/).filter((s) => /^Status: install ok installed$/m.test(s)).length;
    expect(scan.packages).toBe(installed + 1);
    expect(scan.platforms).toEqual([{ digest: layout.manifestDigest, platform: 'linux/amd64', os: expect.stringContaining('Debian'), packages: installed + 1 }]);

    const vulns = await berth.api<VulnerabilityPage>('GET', `/repositories/team/images/web/artifacts/${layout.manifestDigest}/vulnerabilities`);
    expect(vulns.body.total).toBe(1 + highs);
    expect(vulns.body.items.map((v) => [v.id, v.severity, v.package, v.installedVersion, v.fixedVersion])).toEqual([
      ['GHSA-t3st-l0da-sh01', 'critical', 'lodash', '4.17.20', '4.17.21'],
      ...zlibBinaries.map((name) => ['DLA-9999-1', 'high', name, zlibVersion, `${zlibVersion}+deb${debianRelease}u99`]),
    ]);
    expect(vulns.body.items[0]).toMatchObject({ url: 'https://github.com/advisories/GHSA-t3st-l0da-sh01', score: 9.8, path: 'usr/src/app/node_modules/lodash/package.json', layer: layout.layerDigests[1] });
    // Filter, search, sort.
    const byQuery = async (q: string) => (await berth.api<VulnerabilityPage>('GET', `/repositories/team/images/web/artifacts/${layout.manifestDigest}/vulnerabilities?${q}`)).body.items.map((v) => v.id);
    expect(await byQuery('severity=high')).toEqual(zlibBinaries.map(() => 'DLA-9999-1'));
    expect(await byQuery('q=cve-2099-0001')).toEqual(['GHSA-t3st-l0da-sh01']);
    expect(await byQuery('sort=id&order=asc')).toEqual([...zlibBinaries.map(() => 'DLA-9999-1'), 'GHSA-t3st-l0da-sh01']);
    expect((await berth.api('GET', `/repositories/team/images/web/artifacts/${layout.manifestDigest}/vulnerabilities?severity=urgent`)).status).toBe(400);

    const secrets = await berth.api<SecretList>('GET', `/repositories/team/images/web/artifacts/${layout.manifestDigest}/secrets`);
    const key = secrets.body.items.find((s) => s.rule === 'aws-access-key-id');
    expect(key).toMatchObject({ path: 'usr/src/app/.env', line: 2, layer: layout.layerDigests[1] });
    expect(key!.masked.startsWith(PLANTED_KEY_ID.slice(0, 4))).toBe(true);
    // The values never leave Berth: not in results, the export, the SBOM or the lists.
    for (const p of ['secrets', 'scan-report', 'sbom', 'vulnerabilities', 'scan']) {
      const res = await fetch(`${berth.url}/api/v1/repositories/team/images/web/artifacts/${layout.manifestDigest}/${p}`, { headers: { authorization: `Basic ${Buffer.from('admin:integration-admin-pw').toString('base64')}` } });
      const text = await res.text();
      expect(res.status, p).toBe(200);
      expect(text, p).not.toContain(PLANTED_KEY_ID);
      expect(text, p).not.toContain(PLANTED_SECRET);
    }
    const sbom = (await berth.api<{ bomFormat: string; components: { purl?: string }[] }>('GET', `/repositories/team/images/web/artifacts/${layout.manifestDigest}/sbom`)).body;
    expect(sbom.bomFormat).toBe('CycloneDX');
    const purls = sbom.components.map((c) => c.purl);
    expect(purls).toContain('pkg:npm/lodash@4.17.20');
    expect(purls.some((p) => p?.startsWith('pkg:deb/debian/zlib1g@'))).toBe(true);
    // The tags list shows the inspection and the counts.
    const tags = await berth.api<Page<Tag>>('GET', '/repositories/team/images/web/tags');
    expect(tags.body.items[0]!.scan).toMatchObject({ status: 'done', scannedAt: scan.scannedAt, summary: { critical: 1, high: highs }, pullRefusal: null });
  });

  it('refuses a podman pull while Critical vulnerabilities reach the limit, and allows it when the limit, the exclusions or the data change', async () => {
    const restrict = (r: Record<string, unknown>) =>
      berth.api('PUT', '/repositories/team/images/web/pull-restriction', { enabled: true, refuseUnscanned: true, criticalLimit: 1, highLimit: null, ignoreWithoutFix: false, ...r });
    expect((await restrict({})).status).toBe(200);
    await expect(pull('team/web:1.0')).rejects.toThrow(/pull restricted: this artifact of team\/web has 1 Critical vulnerabilities; the limit is 1/);
    await expect(pull(`team/web@${web.manifestDigest}`)).rejects.toThrow(/1 Critical/);
    const row = (await berth.api<Page<Tag>>('GET', '/repositories/team/images/web/tags')).body.items[0]!;
    expect(row.scan!.pullRefusal).toMatch(/1 Critical vulnerabilities; the limit is 1/);

    // The limit changes.
    await restrict({ criticalLimit: 2 });
    await pull('team/web:1.0');
    await restrict({ criticalLimit: null, highLimit: 1 });
    await expect(pull('team/web:1.0')).rejects.toThrow(new RegExp(`${highs} High vulnerabilities; the limit is 1`));

    // The exclusions change the counts: language packages out, then levels at or below High.
    await restrict({ criticalLimit: 1, highLimit: null });
    await berth.api('PUT', '/repositories/team/images/web/scan-settings', { scanOnPush: true, exclude: { languagePackages: true, secrets: false, withoutFix: false, atOrBelow: null } });
    expect((await scanOf('web', web.manifestDigest)).body.summary).toMatchObject({ critical: 0, high: highs });
    await pull('team/web:1.0');
    await restrict({ criticalLimit: null, highLimit: 1 });
    await berth.api('PUT', '/repositories/team/images/web/scan-settings', { scanOnPush: true, exclude: { languagePackages: false, secrets: true, withoutFix: false, atOrBelow: 'high' } });
    expect((await scanOf('web', web.manifestDigest)).body).toMatchObject({ summary: { critical: 1, high: 0, medium: 0 }, secrets: 0 });
    expect((await berth.api<SecretList>('GET', `/repositories/team/images/web/artifacts/${web.manifestDigest}/secrets`)).body).toEqual({ items: [], excluded: true });
    await pull('team/web:1.0');

    // The data changes: the zlib advisory is withdrawn from the database; the artifact was
    // pulled lately, so its stored inventory is matched again (no layer read).
    await berth.api('PUT', '/repositories/team/images/web/scan-settings', { inherit: true });
    await expect(pull('team/web:1.0')).rejects.toThrow(/High vulnerabilities; the limit is 1/);
    const before = (await scanOf('web', web.manifestDigest)).body;
    writeDatabase(dbDir, { withZlib: false });
    const after = await eventually(async () => {
      const s = (await scanOf('web', web.manifestDigest)).body;
      if (s.database?.version === before.database?.version) throw new Error('not matched again yet');
      return s;
    }, 30_000);
    expect(after.summary).toMatchObject({ critical: 1, high: 0 });
    expect(after.packages).toBe(before.packages);
    await pull('team/web:1.0');
  });

  it('refuses unscanned artifacts, saying why, until a Vulnerability check ran', async () => {
    await repositoryWithUser(berth, 'plain', 'ci', 'push').then(async (password) => {
      const layout = await writeImageLayout(path.join(work, 'plain'), { tag: 'x', layers: [{ files: { 'hello.txt': 'no packages here\n' } }] });
      await skopeoCopy(`oci:${path.join(work, 'plain')}:x`, `docker://${berth.host}/plain/tool:1`, { destCreds: { username: 'plain', password } });
      expect((await berth.api('PUT', '/repositories/plain/pull-restriction', { enabled: true, refuseUnscanned: true, criticalLimit: 1, highLimit: 1, ignoreWithoutFix: false })).status).toBe(200);
      const reader = { username: 'plain', password: await repositoryWithUser(berth, 'plain', 'reader', 'pull') };
      await expect(podman.pull(`${berth.host}/plain/tool:1`, { creds: reader })).rejects.toThrow(/has not been scanned; unscanned artifacts may not be pulled/);
      const asked = await berth.api<{ queued: number; artifacts: number }>('POST', '/repositories/plain/images/tool/scan');
      expect([asked.status, asked.body]).toEqual([202, { queued: 1, artifacts: 1 }]);
      const s = await eventually(async () => {
        const r = (await berth.api<ArtifactScan>('GET', `/repositories/plain/images/tool/artifacts/${layout.manifestDigest}/scan`)).body;
        if (r.status !== 'done') throw new Error(r.status);
        return r;
      }, 60_000);
      expect(s).toMatchObject({ summary: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }, packages: 0 });
      await podman.pull(`${berth.host}/plain/tool:1`, { creds: reader });
    });
  });

  it('marks an artifact the scanner cannot read unsupported, and a restricted pull of it says so', async () => {
    const client = new RegistryClient(berth.url, pusher);
    const config = await client.pushBlob('team/chart', new TextEncoder().encode('{"name":"demo","version":"0.1.0"}'));
    const content = await client.pushBlob('team/chart', new TextEncoder().encode('not a tarball of a filesystem'));
    const manifest = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: config, size: 34 },
        layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: content, size: 29 }],
      }),
    );
    const digest = await client.putManifest('team/chart', '0.1.0', manifest, MediaType.OciManifest);
    // The repository scans on push (its default).
    const s = await scanned('chart', digest);
    expect(s.status).toBe('unsupported');
    expect(s.error).toMatch(/application\/vnd\.cncf\.helm\.config\.v1\+json/);
    await berth.api('PUT', '/repositories/team/images/chart/pull-restriction', { enabled: true, refuseUnscanned: true, criticalLimit: 1, highLimit: null, ignoreWithoutFix: false });
    const reader = new RegistryClient(berth.url, puller);
    await expect(reader.manifest('team/chart', '0.1.0')).rejects.toThrow(/the scanner cannot read it/);
  });

  it('scans a multi-arch index per platform, and each platform image is judged on its own', async () => {
    const index = await writeIndexLayout(path.join(work, 'multi'), {
      tag: 'x',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'etc/os-release': osRelease, 'usr/lib/node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.20' }) } }] },
        { os: 'linux', architecture: 'arm64', layers: [{ files: { 'etc/os-release': osRelease, 'usr/lib/node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.21' }) } }] },
      ],
    });
    await skopeoCopy(`oci:${path.join(work, 'multi')}:x`, `docker://${berth.host}/team/multi:1`, { destCreds: pusher, all: true });
    const s = await scanned('multi', index.indexDigest);
    expect(s.platforms.map((p) => [p.digest, p.platform])).toEqual([
      [index.children[0]!.manifestDigest, 'linux/amd64'],
      [index.children[1]!.manifestDigest, 'linux/arm64'],
    ]);
    expect(s.summary.critical).toBe(1);
    const amd64 = await scanned('multi', index.children[0]!.manifestDigest);
    const arm64 = await scanned('multi', index.children[1]!.manifestDigest);
    expect([amd64.summary.critical, arm64.summary.critical]).toEqual([1, 0]);
    const vulns = await berth.api<VulnerabilityPage>('GET', `/repositories/team/images/multi/artifacts/${index.indexDigest}/vulnerabilities`);
    expect(vulns.body.items.map((v) => [v.id, v.platform])).toEqual([['GHSA-t3st-l0da-sh01', 'linux/amd64']]);
  });
});
