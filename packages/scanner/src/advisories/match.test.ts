import { describe, expect, it } from 'vitest';
import type { Inventory, InventoryPackage, OsInfo } from '../types.ts';
import { AdvisoryDatabase } from './database.ts';
import { ALL_RECORDS, ALSA_OPENSSL, DEBIAN_CVE_BULLSEYE, GHSA_LODASH, UBUNTU_CURL } from './test-fixtures.ts';

const DEBIAN_12: OsInfo = { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12' };
const ALPINE_319: OsInfo = { id: 'alpine', versionId: '3.19.0', prettyName: 'Alpine Linux v3.19', ecosystem: 'Alpine:v3.19' };

function pkg(p: Partial<InventoryPackage> & Pick<InventoryPackage, 'type' | 'name' | 'version' | 'path'>): InventoryPackage {
  return { layer: 'sha256:aaaa', purl: `pkg:generic/${p.name}@${p.version}`, licenses: [], ...p };
}

const DPKG = 'var/lib/dpkg/status';
const debianImage: Inventory = {
  os: DEBIAN_12,
  packages: [
    pkg({ type: 'dpkg', name: 'openssh-client', version: '1:9.2p1-2+deb12u1', source: { name: 'openssh', version: '1:9.2p1-2+deb12u1' }, path: DPKG }),
    pkg({ type: 'dpkg', name: 'openssh-server', version: '1:9.2p1-2+deb12u1', source: { name: 'openssh', version: '1:9.2p1-2+deb12u1' }, path: DPKG }),
    pkg({ type: 'dpkg', name: 'libc6', version: '2.36-9+deb12u3', source: { name: 'glibc', version: '2.36-9+deb12u3' }, path: DPKG }),
    pkg({ type: 'npm', name: 'lodash', version: '4.17.20', path: 'app/node_modules/lodash/package.json', layer: 'sha256:bbbb' }),
    pkg({ type: 'npm', name: 'lodash', version: '4.17.21', path: 'usr/lib/node_modules/npm/node_modules/lodash/package.json' }),
    pkg({ type: 'pypi', name: 'Python_Multipart', version: '0.0.6', path: 'usr/lib/python3/dist-packages/python_multipart-0.0.6.dist-info/METADATA' }),
    pkg({ type: 'go', name: 'stdlib', version: '1.21.1', path: 'usr/local/bin/app' }),
    pkg({ type: 'go', name: 'golang.org/x/net', version: 'v0.15.0', path: 'usr/local/bin/app' }),
    pkg({ type: 'maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', path: 'opt/app/lib/log4j-core-2.14.1.jar' }),
  ],
  secrets: [],
  notes: [],
};

describe('matching an inventory against OSV advisories', () => {
  const db = AdvisoryDatabase.fromRecords(ALL_RECORDS);

  it('finds each advisory that applies, with the version that fixes it', () => {
    const found = db.match(debianImage).map((v) => [v.id, v.package, v.installedVersion, v.fixedVersion, v.path]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['DSA-5586-1', 'openssh-client', '1:9.2p1-2+deb12u1', '1:9.2p1-2+deb12u2', DPKG],
        ['DSA-5586-1', 'openssh-server', '1:9.2p1-2+deb12u1', '1:9.2p1-2+deb12u2', DPKG],
        ['GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.20', '4.17.21', 'app/node_modules/lodash/package.json'],
        ['GHSA-2jv5-9r88-3w3p', 'Python_Multipart', '0.0.6', '0.0.7', 'usr/lib/python3/dist-packages/python_multipart-0.0.6.dist-info/METADATA'],
        ['GO-2023-2102', 'stdlib', '1.21.1', '1.21.3', 'usr/local/bin/app'],
        ['GO-2023-2102', 'golang.org/x/net', 'v0.15.0', '0.17.0', 'usr/local/bin/app'],
        ['GHSA-jfh8-c2jp-5v3q', 'org.apache.logging.log4j:log4j-core', '2.14.1', '2.15.0', 'opt/app/lib/log4j-core-2.14.1.jar'],
      ]),
    );
    expect(found).toHaveLength(7);
  });

  it('does not report a fixed version, another release’s advisory, or a withdrawn record', () => {
    const ids = db.match(debianImage).map((v) => `${v.id} ${v.installedVersion}`);
    expect(ids).not.toContain('GHSA-35jh-r3h4-6jhm 4.17.21');
    expect(ids.some((i) => i.startsWith('DLA-3694-1') || i.startsWith('DEBIAN-CVE-2023-51767'))).toBe(false);
    expect(ids.some((i) => i.startsWith('GHSA-x5rq-j2xg-h7qm'))).toBe(false);
  });

  it('reports one vulnerability per advisory, package and path even when the record lists the package twice', () => {
    const lodash = db.match(debianImage).filter((v) => v.id === GHSA_LODASH.id);
    expect(lodash).toHaveLength(1);
  });

  it('takes severity, score and vector from the record, and sorts worst first, then by id', () => {
    const vulns = db.match(debianImage);
    const log4shell = vulns.find((v) => v.id === 'GHSA-jfh8-c2jp-5v3q')!;
    expect(log4shell).toMatchObject({ severity: 'critical', score: 10, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' });
    const lodash = vulns.find((v) => v.id === 'GHSA-35jh-r3h4-6jhm')!;
    expect(lodash).toMatchObject({ severity: 'high', score: 7.2, aliases: ['CVE-2021-23337'], title: 'Command Injection in lodash' });
    const order = ['none', 'unknown', 'negligible', 'low', 'medium', 'high', 'critical'];
    for (let i = 1; i < vulns.length; i++) {
      const [a, b] = [vulns[i - 1]!, vulns[i]!];
      const byRank = order.indexOf(a.severity) - order.indexOf(b.severity);
      expect(byRank > 0 || (byRank === 0 && a.id <= b.id)).toBe(true);
    }
    expect(vulns[0]!.id).toBe('GHSA-jfh8-c2jp-5v3q');
  });

  it('links to the first ADVISORY or WEB reference, else the OSV page, and titles by the first line of details without a summary', () => {
    const vulns = db.match(debianImage);
    expect(vulns.find((v) => v.id === 'DSA-5586-1')!.url).toBe('https://www.debian.org/security/2023/dsa-5586');
    expect(vulns.find((v) => v.id === 'GO-2023-2102')!.url).toBe('https://osv.dev/vulnerability/GO-2023-2102');
    const alpine = db.match({ os: ALPINE_319, packages: [pkg({ type: 'apk', name: 'libcrypto3', version: '3.1.4-r1', source: { name: 'openssl', version: '3.1.4-r1' }, path: 'lib/apk/db/installed' })], secrets: [], notes: [] });
    expect(alpine).toHaveLength(1);
    expect(alpine[0]).toMatchObject({
      id: 'ALPINE-CVE-2023-6129',
      package: 'libcrypto3',
      packageType: 'apk',
      fixedVersion: '3.1.4-r3',
      title: 'The POLY1305 MAC (message authentication code) implementation contains a bug that might corrupt',
    });
  });

  it('applies a Debian record without a release to every Debian release, but not a Debian 11 one to Debian 12', () => {
    const unscoped = { ...DEBIAN_CVE_BULLSEYE, id: 'DEBIAN-CVE-2099-0001', affected: [{ ...DEBIAN_CVE_BULLSEYE.affected![0]!, package: { ecosystem: 'Debian', name: 'openssh' } }] };
    const found = AdvisoryDatabase.fromRecords([DEBIAN_CVE_BULLSEYE, unscoped]).match(debianImage);
    expect(found.map((v) => [v.id, v.package, v.fixedVersion])).toEqual([
      ['DEBIAN-CVE-2099-0001', 'openssh-client', null],
      ['DEBIAN-CVE-2099-0001', 'openssh-server', null],
    ]);
  });

  it('matches rpm packages by their binary name, as AlmaLinux errata list them', () => {
    const alma: OsInfo = { id: 'almalinux', versionId: '9.3', prettyName: 'AlmaLinux 9.3 (Shamrock Pampas Cat)', ecosystem: 'AlmaLinux:9' };
    const rpmdb = 'var/lib/rpm/rpmdb.sqlite';
    const found = AdvisoryDatabase.fromRecords([ALSA_OPENSSL]).match({
      os: alma,
      packages: [
        pkg({ type: 'rpm', name: 'openssl-libs', version: '1:3.0.7-24.el9', source: { name: 'openssl', version: '1:3.0.7-24.el9' }, path: rpmdb }),
        pkg({ type: 'rpm', name: 'openssl-fips-provider', version: '1:3.0.7-24.el9', source: { name: 'openssl', version: '1:3.0.7-24.el9' }, path: rpmdb }),
        pkg({ type: 'rpm', name: 'openssl', version: '1:3.0.7-25.el9_3', source: { name: 'openssl', version: '1:3.0.7-25.el9_3' }, path: rpmdb }),
      ],
      secrets: [],
      notes: [],
    });
    expect(found.map((v) => [v.id, v.package, v.fixedVersion])).toEqual([
      ['ALSA-2024:0310', 'openssl-fips-provider', '1:3.0.7-25.el9_3'],
      ['ALSA-2024:0310', 'openssl-libs', '1:3.0.7-25.el9_3'],
    ]);
  });

  it('matches an Ubuntu LTS image against its release, not against Ubuntu Pro fixes', () => {
    const jammy: OsInfo = { id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.3 LTS', ecosystem: 'Ubuntu:22.04:LTS' };
    const curl = pkg({ type: 'dpkg', name: 'libcurl4', version: '7.81.0-1ubuntu1.15', source: { name: 'curl', version: '7.81.0-1ubuntu1.15' }, path: DPKG });
    const found = AdvisoryDatabase.fromRecords(UBUNTU_CURL).match({ os: jammy, packages: [curl], secrets: [], notes: [] });
    expect(found.map((v) => [v.id, v.fixedVersion, v.severity])).toEqual([['USN-6641-1', '7.81.0-1ubuntu1.16', 'medium']]);
  });

  it('matches Alpine packages by origin only in their own branch', () => {
    const libssl = pkg({ type: 'apk', name: 'libssl3', version: '3.1.4-r1', source: { name: 'openssl', version: '3.1.4-r1' }, path: 'lib/apk/db/installed' });
    const other: OsInfo = { ...ALPINE_319, versionId: '3.18.5', ecosystem: 'Alpine:v3.18' };
    expect(db.match({ os: other, packages: [libssl], secrets: [], notes: [] })).toEqual([]);
  });

  it('does not match OS packages when the image has no OSV ecosystem, says so, and still matches language packages', () => {
    const unknownOs: Inventory = { ...debianImage, os: { id: 'exotic', versionId: '1', prettyName: 'Exotic Linux 1', ecosystem: null } };
    const result = db.matchDetailed(unknownOs);
    expect(result.vulnerabilities.filter((v) => v.packageType === 'dpkg')).toEqual([]);
    expect(result.vulnerabilities.map((v) => v.id)).toContain('GHSA-jfh8-c2jp-5v3q');
    expect(result.osMatched).toBe(false);
    expect(result.notes.map((n) => n.message)).toEqual(['3 OS packages not matched: Berth has no advisories for Exotic Linux 1']);
    expect(db.matchDetailed(debianImage).osMatched).toBe(true);
  });

  it('matches 1,000 packages against 100,000 records in milliseconds', () => {
    const records = Array.from({ length: 100_000 }, (_, i) => ({
      id: `GHSA-synth-${i}`,
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: `pkg-${i % 20_000}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }],
    }));
    const big = AdvisoryDatabase.fromRecords(records);
    const inventory: Inventory = {
      os: null,
      packages: Array.from({ length: 1_000 }, (_, i) => pkg({ type: 'npm', name: `pkg-${i * 7}`, version: '1.0.0', path: `app/node_modules/pkg-${i * 7}/package.json` })),
      secrets: [],
      notes: [],
    };
    const started = performance.now();
    const vulns = big.match(inventory);
    const ms = performance.now() - started;
    expect(vulns).toHaveLength(1_000 * 5);
    expect(ms).toBeLessThan(500);
  });
});
