// The scanner end to end: images built here as real compressed tar layers from this
// machine's real package data (Debian's dpkg status, a pip METADATA, a Go binary, npm
// manifests from this repository, a jar made by `jar`, an rpm database made by rpm), scanned
// with the real analyzers, matched against OSV records written below, and written as a
// CycloneDX SBOM. Expected values come from the tools that own the data (dpkg-query, rpm,
// the package files themselves), not from the scanner.
//
// The advisory ids are made up (year 2099); their shape, ecosystems, names and ranges are
// the ones OSV's Debian, GHSA, Go, Alpine and AlmaLinux data use.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PackageURL } from 'packageurl-js';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryDatabase } from '../advisories/database.ts';
import { languageAnalyzers } from '../analyzers/lang/index.ts';
import { osAnalyzers } from '../analyzers/os/index.ts';
import { toCycloneDx } from '../sbom/cyclonedx.ts';
import { secretAnalyzer } from '../secrets/index.ts';
import { SEVERITIES, type Inventory, type OsvEvent, type OsvRecord, type PackageType, type Severity, type Vulnerability } from '../types.ts';
import { buildJar, buildRpmDatabase, bumpLastNumber, dpkgLower, rpmCommand, withParents, writeLayer, type LayerBlob, type LayerEntry } from './full-image-fixtures.ts';
import { scanImage } from './scan-image.ts';

const REPO = path.resolve(import.meta.dirname, '../../../..');
const GO_BINARY = '/usr/bin/docker-registry';
/** A second Go program, put in the zstd layer: it is streamed through the zstd decoder. */
const GO_BINARY_2 = '/usr/bin/skopeo';
/** The jar sits at a path longer than ustar's 100-byte name field: the layer carries a PAX header for it. */
const JAR_PATH = `opt/services/${'payments-'.repeat(8)}service/lib/app.jar`;
const PYYAML = '/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA';

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-full-image-'));
});
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function scan(layers: LayerBlob[]): Promise<Inventory> {
  return scanImage({
    layers,
    open: async (l) => fs.createReadStream(layers.find((b) => b.digest === l.digest)!.file, { highWaterMark: 64 * 1024 }),
    analyzers: [...osAnalyzers(), ...languageAnalyzers(), secretAnalyzer()],
  });
}

/** An OSV record with one affected package and one ECOSYSTEM (or SEMVER) range. */
function osv(
  id: string,
  affected: { ecosystem: string; name: string; events: OsvEvent[]; semver?: boolean }[],
  extra: Partial<OsvRecord> = {},
): OsvRecord & { schema_version: string } {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2099-01-02T03:04:05Z',
    published: '2099-01-01T00:00:00Z',
    summary: `${id} in ${affected[0]!.name}`,
    affected: affected.map((a) => ({ package: { ecosystem: a.ecosystem, name: a.name }, ranges: [{ type: a.semver ? 'SEMVER' : 'ECOSYSTEM', events: a.events }] })),
    references: [{ type: 'ADVISORY', url: `https://example.org/advisories/${id}` }],
    ...extra,
  };
}

const CVSS_CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
const CVSS_HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'; // 7.5
const CVSS_MAX = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'; // 10.0

const countByType = (inv: Inventory) => {
  const out: Partial<Record<PackageType, number>> = {};
  for (const p of inv.packages) out[p.type] = (out[p.type] ?? 0) + 1;
  return out;
};
const found = (vulns: Vulnerability[]) => vulns.map((v) => `${v.id} ${v.package} ${v.installedVersion} -> ${v.fixedVersion} ${v.severity}`).sort();
const row = (id: string, pkg: string, installed: string, fixed: string | null, severity: Severity) => `${id} ${pkg} ${installed} -> ${fixed} ${severity}`;

/** The purls a CycloneDX JSON BOM lists for its components. */
function bomPurls(bom: object): string[] {
  const components = (bom as { components?: { purl?: string }[] }).components ?? [];
  return components.map((c) => c.purl).filter((p): p is string => typeof p === 'string');
}

// ── (a) Debian 12: this machine's own package data ──────────────────────────────────────

interface DpkgRow {
  name: string;
  version: string;
  arch: string;
  source: string;
  sourceVersion: string;
}

/** dpkg-query's view of the installed packages: the reference for what the dpkg analyzer must read. */
function dpkgInstalled(): DpkgRow[] {
  return execFileSync('dpkg-query', ['-W', '-f', '${Status}\\t${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([status]) => / ok installed$/.test(status!))
    .map(([, name, version, arch, source, sourceVersion]) => ({ name: name!, version: version!, arch: arch!, source: source!, sourceVersion: sourceVersion! }));
}

/** The Go release a Debian package was built with, from its Built-Using field (`golang-1.19 (= 1.19.8-2)` → `1.19.8`). */
function goToolchainOf(bin: string): string {
  const owner = execFileSync('dpkg-query', ['-S', bin], { encoding: 'utf8' }).split(':')[0]!.trim();
  const builtUsing = execFileSync('dpkg-query', ['-W', '-f', '${Built-Using}', owner], { encoding: 'utf8' });
  const m = /golang-1\.\d+ \(= ([0-9.]+)-[^)]+\)/.exec(builtUsing);
  if (!m) throw new Error(`no Go toolchain in Built-Using of ${owner}: ${builtUsing}`);
  return m[1]!;
}

/** This machine's os-release files as they are on disk: a symlink stays a symlink. */
function osReleaseEntries(): [string, LayerEntry][] {
  const etc = fs.lstatSync('/etc/os-release');
  if (!etc.isSymbolicLink()) return [['etc/os-release', { content: fs.readFileSync('/etc/os-release') }]];
  const target = fs.readlinkSync('/etc/os-release');
  const resolved = path.posix.join('etc', target);
  if (resolved !== 'usr/lib/os-release') throw new Error(`unexpected os-release link target ${target}`);
  return [
    ['etc/os-release', { symlink: target }],
    ['usr/lib/os-release', { content: fs.readFileSync('/usr/lib/os-release') }],
  ];
}

const npmManifest = (name: string) => path.join(REPO, 'node_modules', name, 'package.json');
const npmVersion = (name: string) => (JSON.parse(fs.readFileSync(npmManifest(name), 'utf8')) as { version: string }).version;
const semverBump = (v: string) => v.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_m, a: string, b: string, c: string) => `${a}.${b}.${Number(c) + 1}`);

describe('a Debian 12 image made of this machine’s package data', () => {
  const dpkg = dpkgInstalled();
  const glibc = dpkg.filter((p) => p.source === 'glibc');
  const glibcVersion = glibc[0]!.sourceVersion;
  const openssl = dpkg.find((p) => p.name === 'libssl3')!;
  const zlib = dpkg.find((p) => p.name === 'zlib1g')!;
  const goVersion = goToolchainOf(GO_BINARY);
  const goVersion2 = goToolchainOf(GO_BINARY_2);
  const semverVersion = npmVersion('semver');
  const log4j = { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: '2.14.1' };
  const log4jApi = { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-api', version: '2.14.1' };
  const secret = 'AKIAZ7QBERTHTEST2X4Y';

  // Fixed versions worked out from what is installed; dpkg itself confirms each is above or below.
  const glibcFixed = bumpLastNumber(glibcVersion, 1);
  const opensslFixedBelow = bumpLastNumber(openssl.sourceVersion, -1);
  const goFixed = semverBump(goVersion);
  const semverFixed = semverBump(semverVersion);

  const records: OsvRecord[] = [
    // Debian: filed by source package (glibc), every binary package of it is affected.
    osv('DEBIAN-CVE-2099-0001', [{ ecosystem: 'Debian:12', name: 'glibc', events: [{ introduced: '0' }, { fixed: glibcFixed }] }], { severity: [{ type: 'CVSS_V3', score: CVSS_CRITICAL }] }),
    // Near misses: fixed below what is installed; another Debian release.
    osv('DEBIAN-CVE-2099-0002', [{ ecosystem: 'Debian:12', name: 'openssl', events: [{ introduced: '0' }, { fixed: opensslFixedBelow }] }]),
    osv('DEBIAN-CVE-2099-0003', [{ ecosystem: 'Debian:11', name: 'zlib', events: [{ introduced: '0' }, { fixed: bumpLastNumber(zlib.sourceVersion, 1) }] }]),
    // PyPI, under its normalized name (the METADATA says "PyYAML").
    osv('GHSA-2099-pypi-0001', [{ ecosystem: 'PyPI', name: 'pyyaml', events: [{ introduced: '0' }, { fixed: '6.0.1' }] }], {
      severity: [{ type: 'CVSS_V3', score: CVSS_HIGH }],
      database_specific: { severity: 'HIGH' },
    }),
    osv('GHSA-2099-pypi-0002', [{ ecosystem: 'PyPI', name: 'pyyaml', events: [{ introduced: '0' }, { fixed: '5.4' }] }]),
    // Go standard library of the binary's toolchain.
    osv('GO-2099-0001', [{ ecosystem: 'Go', name: 'stdlib', semver: true, events: [{ introduced: '0' }, { fixed: goFixed }] }]),
    osv('GO-2099-0002', [{ ecosystem: 'Go', name: 'stdlib', semver: true, events: [{ introduced: '1.20.0' }, { fixed: '1.20.4' }] }]),
    // npm: semver matches; ms is fixed below; debug and yauzl would match any version but are deleted by upper layers.
    osv('GHSA-2099-npm-0001', [{ ecosystem: 'npm', name: 'semver', semver: true, events: [{ introduced: '7.0.0' }, { fixed: semverFixed }] }], { database_specific: { severity: 'MODERATE' } }),
    osv('GHSA-2099-npm-0002', [{ ecosystem: 'npm', name: 'ms', semver: true, events: [{ introduced: '0' }, { fixed: '2.0.0' }] }]),
    osv('GHSA-2099-npm-0003', [{ ecosystem: 'npm', name: 'debug', semver: true, events: [{ introduced: '0' }] }]),
    osv('GHSA-2099-npm-0004', [{ ecosystem: 'npm', name: 'yauzl', semver: true, events: [{ introduced: '0' }] }]),
    // Maven, by groupId:artifactId.
    osv('GHSA-2099-mvn-0001', [{ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }] }], {
      severity: [{ type: 'CVSS_V3', score: CVSS_MAX }],
    }),
    osv('GHSA-2099-mvn-0002', [{ ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', events: [{ introduced: '2.0-beta9' }, { fixed: '2.12.2' }] }]),
  ];

  let layers: LayerBlob[];
  let inventory: Inventory;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(work, 'debian-'));
    const jar = buildJar(dir, 'app.jar', [log4j, log4jApi]);
    const file = (p: string): LayerEntry => ({ content: fs.readFileSync(p) });
    // 1 (gzip): the base system, with the Go binary streamed from disk.
    const base = await writeLayer(
      dir,
      'base.tar.gz',
      withParents([
        // As on Debian itself: etc/os-release is a symlink to usr/lib/os-release (when this machine has it so).
        ...osReleaseEntries(),
        ['var/lib/dpkg/status', file('/var/lib/dpkg/status')],
        ['usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', file(PYYAML)],
        ['usr/bin/docker-registry', { fromFile: GO_BINARY, mode: 0o755 }],
      ]),
      'gzip',
    );
    // 2 (zstd): the application.
    const app = await writeLayer(
      dir,
      'app.tar.zst',
      withParents([
        ['app/node_modules/semver/package.json', file(npmManifest('semver'))],
        ['app/node_modules/ms/package.json', file(npmManifest('ms'))],
        ['app/node_modules/debug/package.json', file(npmManifest('debug'))],
        ['app/node_modules/@types/semver/package.json', file(npmManifest('@types/semver'))],
        ['opt/legacy/node_modules/yauzl/package.json', file(npmManifest('yauzl'))],
        [JAR_PATH, { content: jar }],
        ['usr/bin/skopeo', { fromFile: GO_BINARY_2, mode: 0o755 }],
        ['app/config/.env', { content: `# deploy settings\nREGION=eu-west-1\nAWS_ACCESS_KEY_ID=${secret}\n` }],
      ]),
      'zstd',
    );
    // 3 (gzip): debug removed by a whiteout, opt/legacy made opaque and refilled.
    const top = await writeLayer(
      dir,
      'top.tar.gz',
      withParents([
        ['app/node_modules/.wh.debug', { content: '' }],
        ['opt/legacy/.wh..wh..opq', { content: '' }],
        ['opt/legacy/node_modules/fzstd/package.json', file(npmManifest('fzstd'))],
      ]),
      'gzip',
    );
    layers = [base, app, top];
    inventory = await scan(layers);
  }, 120_000);

  it('built real layers: gzip and zstd, the Go binary inside whole', () => {
    expect(layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar+zstd', 'application/vnd.oci.image.layer.v1.tar+gzip']);
    expect(fs.readFileSync(layers[1]!.file).readUInt32LE(0)).toBe(0xfd2fb528); // zstd frame magic
    const listing = execFileSync('tar', ['-tvzf', layers[0]!.file], { encoding: 'utf8' });
    expect(listing).toMatch(new RegExp(`^-rwxr-xr-x \\S+ +${fs.statSync(GO_BINARY).size} .* usr/bin/docker-registry$`, 'm'));
    const appListing = execFileSync('tar', ['--zstd', '-tf', layers[1]!.file], { encoding: 'utf8' }).split('\n');
    expect(appListing).toContain(JAR_PATH);
    expect(JAR_PATH.length).toBeGreaterThan(100);
  });

  it('knows the OS and its OSV ecosystem', () => {
    expect(inventory.os).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12' });
  });

  it('counts the packages of each kind that the image holds', () => {
    expect(countByType(inventory)).toEqual({ dpkg: dpkg.length, pypi: 1, go: 2, npm: 4, maven: 2 });
    expect(inventory.notes).toEqual([]);
  });

  it('reads every installed dpkg package as dpkg-query lists it, with its source', () => {
    const actual = inventory.packages.filter((p) => p.type === 'dpkg').map((p) => `${p.name} ${p.version} ${p.source!.name} ${p.source!.version}`);
    expect(actual.sort()).toEqual(dpkg.map((p) => `${p.name} ${p.version} ${p.source} ${p.sourceVersion}`).sort());
    const libc6 = dpkg.find((p) => p.name === 'libc6')!;
    expect(inventory.packages.find((p) => p.name === 'libc6')).toMatchObject({
      type: 'dpkg',
      version: libc6.version,
      source: { name: 'glibc', version: glibcVersion },
      path: 'var/lib/dpkg/status',
      layer: layers[0]!.digest,
    });
    const purl = PackageURL.fromString(inventory.packages.find((p) => p.name === 'libc6')!.purl);
    expect([purl.type, purl.namespace, purl.name, purl.version, purl.qualifiers]).toEqual(['deb', 'debian', 'libc6', libc6.version, { arch: libc6.arch, distro: 'debian-12' }]);
  });

  it('reads the language packages with their versions and purls', () => {
    const lang = inventory.packages.filter((p) => p.type !== 'dpkg').map((p) => [p.type, p.name, p.version, p.purl, p.path]);
    expect(lang.sort()).toEqual(
      [
        ['go', 'stdlib', goVersion, `pkg:golang/stdlib@${goVersion}`, 'usr/bin/docker-registry'],
        ['go', 'stdlib', goVersion2, `pkg:golang/stdlib@${goVersion2}`, 'usr/bin/skopeo'],
        ['maven', 'org.apache.logging.log4j:log4j-api', '2.14.1', 'pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1', JAR_PATH],
        ['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', JAR_PATH],
        ['npm', '@types/semver', npmVersion('@types/semver'), `pkg:npm/%40types/semver@${npmVersion('@types/semver')}`, 'app/node_modules/@types/semver/package.json'],
        ['npm', 'fzstd', npmVersion('fzstd'), `pkg:npm/fzstd@${npmVersion('fzstd')}`, 'opt/legacy/node_modules/fzstd/package.json'],
        ['npm', 'ms', npmVersion('ms'), `pkg:npm/ms@${npmVersion('ms')}`, 'app/node_modules/ms/package.json'],
        ['npm', 'semver', semverVersion, `pkg:npm/semver@${semverVersion}`, 'app/node_modules/semver/package.json'],
        ['pypi', 'PyYAML', '6.0', 'pkg:pypi/pyyaml@6.0', 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA'],
      ].sort(),
    );
    expect(inventory.packages.find((p) => p.name === 'PyYAML')!.licenses).toEqual(['MIT', 'MIT License']);
    expect(inventory.packages.find((p) => p.name === 'fzstd')!.layer).toBe(layers[2]!.digest);
  });

  it('drops what the upper layers delete: a whiteout, an opaque directory', () => {
    const names = inventory.packages.map((p) => p.name);
    expect(names).not.toContain('debug');
    expect(names).not.toContain('yauzl');
    expect(inventory.packages.some((p) => p.path.startsWith('app/node_modules/debug/'))).toBe(false);
  });

  it('would list (and match) the deleted packages without the top layer', async () => {
    const below = await scan(layers.slice(0, 2));
    expect(below.packages.filter((p) => p.name === 'debug' || p.name === 'yauzl').map((p) => p.path).sort()).toEqual([
      'app/node_modules/debug/package.json',
      'opt/legacy/node_modules/yauzl/package.json',
    ]);
    const ids = AdvisoryDatabase.fromRecords(records).match(below).map((v) => v.id);
    expect(ids).toContain('GHSA-2099-npm-0003');
    expect(ids).toContain('GHSA-2099-npm-0004');
  });

  it('finds the planted secret, and nothing in the real system files', () => {
    expect(inventory.secrets).toEqual([
      { rule: 'aws-access-key-id', title: 'AWS access key ID', severity: 'critical', path: 'app/config/.env', line: 3, layer: layers[1]!.digest, masked: expect.stringMatching(/^AKIA\*+$/) },
    ]);
    expect(inventory.secrets[0]!.masked).toHaveLength(secret.length);
  });

  it('matches exactly the advisories that apply, with fixed versions and severities', () => {
    // The fixtures' premises, by dpkg's own version order.
    expect(dpkgLower(glibcVersion, glibcFixed)).toBe(true);
    expect(dpkgLower(opensslFixedBelow, openssl.sourceVersion)).toBe(true);
    const vulns = AdvisoryDatabase.fromRecords(records).match(inventory);
    expect(found(vulns)).toEqual(
      [
        ...glibc.map((p) => row('DEBIAN-CVE-2099-0001', p.name, p.version, glibcFixed, 'critical')),
        row('GHSA-2099-pypi-0001', 'PyYAML', '6.0', '6.0.1', 'high'),
        // Each Go binary is its own finding; the second one is affected when its toolchain is below the fix too.
        ...[goVersion, goVersion2].filter((v) => semver.lt(v, goFixed)).map((v) => row('GO-2099-0001', 'stdlib', v, goFixed, 'unknown')),
        row('GHSA-2099-npm-0001', 'semver', semverVersion, semverFixed, 'medium'),
        row('GHSA-2099-mvn-0001', 'org.apache.logging.log4j:log4j-core', '2.14.1', '2.15.0', 'critical'),
      ].sort(),
    );
    const goBinaries = [
      { path: 'usr/bin/docker-registry', version: goVersion },
      { path: 'usr/bin/skopeo', version: goVersion2 },
    ];
    expect(vulns.filter((v) => v.id === 'GO-2099-0001').map((v) => v.path).sort()).toEqual(goBinaries.filter((b) => semver.lt(b.version, goFixed)).map((b) => b.path));
    expect(glibc.length).toBeGreaterThan(1); // libc6, libc-bin …: each binary package of glibc counts
    // Worst severity first (then by id).
    const rank = (v: Vulnerability) => SEVERITIES.indexOf(v.severity);
    expect(vulns.map(rank)).toEqual(vulns.map(rank).sort((a, b) => b - a));
    expect(vulns.find((v) => v.package === 'org.apache.logging.log4j:log4j-core')).toMatchObject({ score: 10, vector: CVSS_MAX, url: 'https://example.org/advisories/GHSA-2099-mvn-0001' });
    expect(vulns.find((v) => v.package === 'libc6')).toMatchObject({ score: 9.8, path: 'var/lib/dpkg/status', layer: layers[0]!.digest, packageType: 'dpkg' });
  });

  it('writes a CycloneDX SBOM listing every package purl', () => {
    const bom = toCycloneDx(inventory, { name: 'team/debian-app', digest: layers[2]!.digest, platform: 'linux/amd64' }) as {
      bomFormat: string;
      specVersion: string;
      components: { type: string; name: string; version?: string }[];
    };
    expect([bom.bomFormat, bom.specVersion]).toEqual(['CycloneDX', '1.6']);
    const purls = bomPurls(bom);
    expect(new Set(purls)).toEqual(new Set(inventory.packages.map((p) => p.purl)));
    expect(purls).toContain('pkg:pypi/pyyaml@6.0');
    expect(purls).toContain(`pkg:golang/stdlib@${goVersion}`);
    expect(purls).toHaveLength(new Set(purls).size); // one component per purl, whatever the number of files
    expect(purls.filter((p) => p.startsWith('pkg:deb/debian/') && p.includes('distro=debian-12'))).toHaveLength(new Set(dpkg.map((p) => `${p.name}:${p.arch}`)).size);
    expect(bom.components.find((c) => c.type === 'operating-system')).toMatchObject({ name: 'debian', version: '12' });
  });
});

// ── (b) Alpine 3.19 ──────────────────────────────────────────────────────────────────────

const ALPINE_OS_RELEASE = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`;

interface ApkPackage {
  name: string;
  version: string;
  origin: string;
  license: string;
  files: string[];
}

/** A `lib/apk/db/installed` as apk-tools writes it: one record per package, file lines after the package fields. */
function apkInstalled(packages: ApkPackage[]): string {
  return packages
    .map((p, i) =>
      [
        `C:Q1${Buffer.from(`${p.name}-${p.version}`).toString('base64').slice(0, 26)}=`,
        `P:${p.name}`,
        `V:${p.version}`,
        'A:x86_64',
        `S:${100_000 + i}`,
        `I:${300_000 + i}`,
        `T:${p.name} package`,
        'U:https://alpinelinux.org/',
        `L:${p.license}`,
        `o:${p.origin}`,
        'm:Natanael Copa <ncopa@alpinelinux.org>',
        `t:${1_700_000_000 + i}`,
        'c:ca7f2ab5e88794e4e654b40776f8a92256f50639',
        ...p.files.flatMap((f) => [`F:${path.posix.dirname(f)}`, `R:${path.posix.basename(f)}`, 'a:0:0:755', 'Z:Q1Kq3zbZ6P2pHq0tT6y3Tt3J3jv5U=']),
        '',
      ].join('\n'),
    )
    .join('\n');
}

describe('an Alpine 3.19 image whose upper layer upgrades packages', () => {
  const basePackages: ApkPackage[] = [
    { name: 'musl', version: '1.2.4_git20230717-r4', origin: 'musl', license: 'MIT', files: ['lib/ld-musl-x86_64.so.1'] },
    { name: 'busybox', version: '1.36.1-r15', origin: 'busybox', license: 'GPL-2.0-only', files: ['bin/busybox'] },
    { name: 'zlib', version: '1.3.1-r0', origin: 'zlib', license: 'Zlib', files: ['lib/libz.so.1.3.1'] },
    { name: 'libcrypto3', version: '3.1.4-r1', origin: 'openssl', license: 'Apache-2.0', files: ['lib/libcrypto.so.3'] },
    { name: 'libssl3', version: '3.1.4-r1', origin: 'openssl', license: 'Apache-2.0', files: ['lib/libssl.so.3'] },
  ];
  // `apk upgrade && apk add curl` in the next layer rewrites the whole database.
  const upgraded: ApkPackage[] = [
    ...basePackages.map((p) => (p.origin === 'openssl' ? { ...p, version: '3.1.4-r5' } : p)),
    { name: 'libcurl', version: '8.5.0-r0', origin: 'curl', license: 'curl', files: ['usr/lib/libcurl.so.4'] },
    { name: 'curl', version: '8.5.0-r0', origin: 'curl', license: 'curl', files: ['usr/bin/curl'] },
  ];
  const records: OsvRecord[] = [
    osv('ALPINE-CVE-2099-0001', [{ ecosystem: 'Alpine:v3.19', name: 'openssl', events: [{ introduced: '0' }, { fixed: '3.1.4-r6' }] }]),
    // Fixed between the base layer's openssl and the upgraded one: must not match.
    osv('ALPINE-CVE-2099-0002', [{ ecosystem: 'Alpine:v3.19', name: 'openssl', events: [{ introduced: '0' }, { fixed: '3.1.4-r3' }] }]),
    // Another Alpine release.
    osv('ALPINE-CVE-2099-0003', [{ ecosystem: 'Alpine:v3.18', name: 'curl', events: [{ introduced: '0' }, { fixed: '8.9.0-r0' }] }]),
    osv('ALPINE-CVE-2099-0004', [{ ecosystem: 'Alpine:v3.19', name: 'curl', events: [{ introduced: '0' }, { fixed: '8.5.0-r1' }] }], {
      severity: [{ type: 'CVSS_V3', score: CVSS_HIGH }],
    }),
  ];
  let layers: LayerBlob[];
  let inventory: Inventory;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(work, 'alpine-'));
    const base = await writeLayer(
      dir,
      'base.tar.gz',
      withParents([
        ['etc/os-release', { content: ALPINE_OS_RELEASE }],
        ['lib/apk/db/installed', { content: apkInstalled(basePackages) }],
        ['etc/apk/world', { content: 'alpine-baselayout\nbusybox\n' }],
      ]),
      'gzip',
    );
    const upper = await writeLayer(dir, 'upgrade.tar.zst', withParents([['lib/apk/db/installed', { content: apkInstalled(upgraded) }]]), 'zstd');
    layers = [base, upper];
    inventory = await scan(layers);
  }, 60_000);

  it('knows the OS and reads the upper layer’s package database', () => {
    expect(inventory.os).toEqual({ id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine Linux v3.19', ecosystem: 'Alpine:v3.19' });
    expect(countByType(inventory)).toEqual({ apk: upgraded.length });
    expect(inventory.packages.map((p) => `${p.name} ${p.version} ${p.source!.name}`).sort()).toEqual(upgraded.map((p) => `${p.name} ${p.version} ${p.origin}`).sort());
    expect(new Set(inventory.packages.map((p) => p.layer))).toEqual(new Set([layers[1]!.digest]));
    expect(inventory.packages.find((p) => p.name === 'libcrypto3')).toMatchObject({
      purl: 'pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1',
      licenses: ['Apache-2.0'],
      path: 'lib/apk/db/installed',
    });
    expect(inventory.notes).toEqual([]);
  });

  it('matches the base layer’s older openssl when the upgrade layer is left out', async () => {
    const vulns = AdvisoryDatabase.fromRecords(records).match(await scan(layers.slice(0, 1)));
    expect(found(vulns)).toEqual(
      [
        row('ALPINE-CVE-2099-0001', 'libcrypto3', '3.1.4-r1', '3.1.4-r6', 'unknown'),
        row('ALPINE-CVE-2099-0001', 'libssl3', '3.1.4-r1', '3.1.4-r6', 'unknown'),
        row('ALPINE-CVE-2099-0002', 'libcrypto3', '3.1.4-r1', '3.1.4-r3', 'unknown'),
        row('ALPINE-CVE-2099-0002', 'libssl3', '3.1.4-r1', '3.1.4-r3', 'unknown'),
      ].sort(),
    );
  });

  it('matches advisories by origin in Alpine:v3.19 only', () => {
    const vulns = AdvisoryDatabase.fromRecords(records).match(inventory);
    expect(found(vulns)).toEqual(
      [
        row('ALPINE-CVE-2099-0001', 'libcrypto3', '3.1.4-r5', '3.1.4-r6', 'unknown'),
        row('ALPINE-CVE-2099-0001', 'libssl3', '3.1.4-r5', '3.1.4-r6', 'unknown'),
        row('ALPINE-CVE-2099-0004', 'curl', '8.5.0-r0', '8.5.0-r1', 'high'),
        row('ALPINE-CVE-2099-0004', 'libcurl', '8.5.0-r0', '8.5.0-r1', 'high'),
      ].sort(),
    );
  });

  it('writes a CycloneDX SBOM listing the apk purls', () => {
    const purls = bomPurls(toCycloneDx(inventory, { name: 'team/alpine', digest: layers[1]!.digest }));
    expect(purls.sort()).toEqual(upgraded.map((p) => `pkg:apk/alpine/${p.name}@${p.version}?arch=x86_64&distro=alpine-3.19.1`).sort());
  });
});

// ── (c) AlmaLinux 9: an rpm database made by rpm ────────────────────────────────────────

const ALMA_OS_RELEASE = `NAME="AlmaLinux"
VERSION="9.3 (Shamrock Pampas Cat)"
ID="almalinux"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="AlmaLinux 9.3 (Shamrock Pampas Cat)"
ANSI_COLOR="0;34"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:almalinux:almalinux:9::baseos"
HOME_URL="https://almalinux.org/"
BUG_REPORT_URL="https://bugs.almalinux.org/"
`;

describe('an AlmaLinux 9 image with an rpm SQLite database', () => {
  const records: OsvRecord[] = [
    // Errata list binary RPMs.
    osv(
      'ALSA-2099:0001',
      [
        { ecosystem: 'AlmaLinux:9', name: 'openssl', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9_3' }] },
        { ecosystem: 'AlmaLinux:9', name: 'openssl-libs', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9_3' }] },
      ],
      { database_specific: { severity: 'Important' } },
    ),
    osv('ALSA-2099:0002', [{ ecosystem: 'AlmaLinux:8', name: 'bash', events: [{ introduced: '0' }, { fixed: '4.4.20-5.el8' }] }]),
    osv('ALSA-2099:0003', [{ ecosystem: 'AlmaLinux:9', name: 'bash', events: [{ introduced: '0' }, { fixed: '5.1.8-4.el9' }] }]),
  ];
  let dir: string;
  let layers: LayerBlob[];
  let inventory: Inventory;
  let fromRpm: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(work, 'alma-'));
    const db = buildRpmDatabase(dir, [
      { name: 'openssl', epoch: 1, version: '3.0.7', release: '24.el9', license: 'Apache-2.0', subpackages: ['libs'] },
      { name: 'bash', version: '5.1.8', release: '6.el9', license: 'GPLv3+' },
    ]);
    fromRpm = rpmCommand(dir, '-qa', '--qf', '%{NAME} %|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE} %{SOURCERPM} %{ARCH}\\n').trim().split('\n').sort();
    const base = await writeLayer(dir, 'base.tar.zst', withParents([['etc/os-release', { content: ALMA_OS_RELEASE }]]), 'zstd');
    expect([...db.keys()]).toContain('rpmdb.sqlite');
    const dbFiles: [string, LayerEntry][] = [...db].map(([name, content]) => [`var/lib/rpm/${name}`, { content }]);
    const packages = await writeLayer(dir, 'rpm.tar.gz', withParents(dbFiles), 'gzip');
    layers = [base, packages];
    inventory = await scan(layers);
  }, 120_000);

  it('knows the OS and reads every package rpm lists', () => {
    expect(inventory.os).toEqual({ id: 'almalinux', versionId: '9.3', prettyName: 'AlmaLinux 9.3 (Shamrock Pampas Cat)', ecosystem: 'AlmaLinux:9' });
    expect(fromRpm).toHaveLength(3);
    expect(countByType(inventory)).toEqual({ rpm: fromRpm.length });
    const srpmName = (srpm: string) => srpm.replace(/-[^-]+-[^-]+\.src\.rpm$/, '');
    const read = inventory.packages.map((p) => `${p.name} ${p.version} ${p.source!.name}`).sort();
    expect(read).toEqual(fromRpm.map((l) => l.split(' ')).map(([n, v, srpm]) => `${n} ${v} ${srpmName(srpm!)}`).sort());
    expect(inventory.packages.find((p) => p.name === 'openssl-libs')).toMatchObject({
      version: '1:3.0.7-24.el9',
      source: { name: 'openssl' },
      purl: 'pkg:rpm/almalinux/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=almalinux-9.3&epoch=1',
      path: 'var/lib/rpm/rpmdb.sqlite',
      layer: layers[1]!.digest,
    });
    expect(inventory.notes).toEqual([]);
  });

  it('matches errata by rpm name in AlmaLinux:9 only', () => {
    const vulns = AdvisoryDatabase.fromRecords(records).match(inventory);
    expect(found(vulns)).toEqual(
      [row('ALSA-2099:0001', 'openssl', '1:3.0.7-24.el9', '1:3.0.7-25.el9_3', 'high'), row('ALSA-2099:0001', 'openssl-libs', '1:3.0.7-24.el9', '1:3.0.7-25.el9_3', 'high')].sort(),
    );
  });

  it('writes a CycloneDX SBOM listing the rpm purls', () => {
    const purls = bomPurls(toCycloneDx(inventory, { name: 'team/alma', digest: layers[1]!.digest }));
    expect(purls.sort()).toEqual([
      'pkg:rpm/almalinux/bash@5.1.8-6.el9?arch=x86_64&distro=almalinux-9.3',
      'pkg:rpm/almalinux/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=almalinux-9.3&epoch=1',
      'pkg:rpm/almalinux/openssl@3.0.7-24.el9?arch=x86_64&distro=almalinux-9.3&epoch=1',
    ]);
  });
});
