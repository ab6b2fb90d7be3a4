// Test support (imported by the tests only): real-format OSV records of each kind Berth
// matches, and a small zip writer to pack them the way OSV's all.zip archives are packed.

import { deflateRawSync } from 'node:zlib';
import type { OsvRecord } from '../types.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive (deflated entries, UTF-8 names) of the given files. */
export function makeZip(files: { name: string; data: string | Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const raw = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'utf8');
    const packed = deflateRawSync(raw);
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A zip of records, one `<id>.json` entry each, as OSV packs them. */
export function zipOfRecords(records: OsvRecord[]): Buffer {
  return makeZip(records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })));
}

/** DSA-5586-1 (OpenSSH, Terrapin), filed by source package for Debian 12. */
export const DSA_OPENSSH: OsvRecord = {
  id: 'DSA-5586-1',
  modified: '2024-01-02T09:00:00Z',
  published: '2023-12-22T00:00:00Z',
  aliases: [],
  upstream: ['CVE-2021-41617', 'CVE-2023-28531', 'CVE-2023-48795', 'CVE-2023-51384', 'CVE-2023-51385'],
  summary: 'openssh - security update',
  details: '\nSeveral vulnerabilities have been discovered in OpenSSH...',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'openssh', purl: 'pkg:deb/debian/openssh?arch=source' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:9.2p1-2+deb12u2' }] }],
      versions: ['1:9.2p1-2', '1:9.2p1-2+deb12u1'],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://www.debian.org/security/2023/dsa-5586' }],
};

/** DLA-3694-1: the same OpenSSH flaws for Debian 10, which a Debian 12 image must not see. */
export const DLA_OPENSSH_BUSTER: OsvRecord = {
  id: 'DLA-3694-1',
  modified: '2024-01-03T09:00:00Z',
  aliases: [],
  summary: 'openssh - security update',
  affected: [
    {
      package: { ecosystem: 'Debian:10', name: 'openssh' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:7.9p1-10+deb10u4' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://www.debian.org/lts/security/2023/dla-3694' }],
};

/** A Debian security tracker record still open for Debian 11 only (no fix): a Debian 12 image's openssh must not match it. */
export const DEBIAN_CVE_BULLSEYE: OsvRecord = {
  id: 'DEBIAN-CVE-2023-51767',
  modified: '2024-04-01T00:00:00Z',
  upstream: ['CVE-2023-51767'],
  details: 'OpenSSH through 9.6, when common types of DRAM are used, might allow row hammer attacks.',
  affected: [{ package: { ecosystem: 'Debian:11', name: 'openssh' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
  references: [{ type: 'WEB', url: 'https://security-tracker.debian.org/tracker/CVE-2023-51767' }],
};

/** An Alpine record: filed by origin (`openssl`), for the v3.19 branch. */
export const ALPINE_OPENSSL: OsvRecord = {
  id: 'ALPINE-CVE-2023-6129',
  modified: '2024-02-10T00:00:00Z',
  published: '2024-01-09T17:15:12Z',
  upstream: ['CVE-2023-6129'],
  details: 'The POLY1305 MAC (message authentication code) implementation contains a bug that might corrupt\nthe internal state of applications running on PowerPC CPU based platforms.',
  affected: [
    {
      package: { ecosystem: 'Alpine:v3.19', name: 'openssl', purl: 'pkg:apk/alpine/openssl?arch=source' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r3' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://security.alpinelinux.org/vuln/CVE-2023-6129' }],
};

/** An AlmaLinux errata record: its packages are binary RPMs, with `[epoch:]version-release` fixes. */
export const ALSA_OPENSSL: OsvRecord = {
  id: 'ALSA-2024:0310',
  modified: '2024-01-30T00:00:00Z',
  summary: 'Moderate: openssl security update',
  details: 'OpenSSL is a toolkit that implements the Secure Sockets Layer (SSL) and Transport Layer Security (TLS) protocols.',
  affected: [
    { package: { ecosystem: 'AlmaLinux:9', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9_3' }] }] },
    { package: { ecosystem: 'AlmaLinux:9', name: 'openssl-libs' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9_3' }] }] },
  ],
  references: [{ type: 'ADVISORY', url: 'https://errata.almalinux.org/9/ALSA-2024-0310.html' }],
};

/** Ubuntu records for the same source: one for 22.04 LTS, one for Ubuntu Pro (ESM) subscribers only. */
export const UBUNTU_CURL: OsvRecord[] = [
  {
    id: 'USN-6641-1',
    modified: '2024-02-21T00:00:00Z',
    summary: 'curl vulnerability',
    severity: [{ type: 'Ubuntu', score: 'medium' }],
    affected: [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'curl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.81.0-1ubuntu1.16' }] }] }],
  },
  {
    id: 'USN-6641-2',
    modified: '2024-02-21T00:00:00Z',
    summary: 'curl vulnerability',
    affected: [{ package: { ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'curl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.81.0-1ubuntu1.99+esm1' }] }] }],
  },
];

/** GHSA npm record with a CVSS v3.1 vector and GitHub's own level; the package listed twice. */
export const GHSA_LODASH: OsvRecord = {
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-03-01T00:00:00Z',
  published: '2021-05-06T16:05:51Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  details: '`lodash` versions prior to 4.17.21 are vulnerable to Command Injection via the template function.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    { package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] },
    { package: { ecosystem: 'npm', name: 'lodash-es' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] },
    { package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '4.17.0' }, { fixed: '4.17.21' }] }] },
  ],
  references: [
    { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' },
    { type: 'WEB', url: 'https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c' },
  ],
  database_specific: { cwe_ids: ['CWE-77', 'CWE-94'], github_reviewed: true, severity: 'HIGH' },
};

/** A GHSA PyPI record: OSV writes the normalized name, installed metadata often does not. */
export const GHSA_MULTIPART: OsvRecord = {
  id: 'GHSA-2jv5-9r88-3w3p',
  modified: '2024-02-20T00:00:00Z',
  aliases: ['CVE-2024-24762'],
  summary: 'python-multipart vulnerable to Content-Type Header ReDoS',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
  affected: [{ package: { ecosystem: 'PyPI', name: 'python-multipart' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.0.7' }] }] }],
  references: [{ type: 'WEB', url: 'https://github.com/Kludex/python-multipart/security/advisories/GHSA-2jv5-9r88-3w3p' }],
  database_specific: { severity: 'HIGH' },
};

/** GO-2023-2102 (HTTP/2 rapid reset): the standard library and golang.org/x/net. */
export const GO_RAPID_RESET: OsvRecord = {
  id: 'GO-2023-2102',
  modified: '2024-05-20T16:03:47Z',
  aliases: ['CVE-2023-39325', 'GHSA-4374-p667-p6c8'],
  summary: 'HTTP/2 rapid reset can cause excessive work in net/http',
  affected: [
    {
      package: { ecosystem: 'Go', name: 'stdlib' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.20.10' }, { introduced: '1.21.0-0' }, { fixed: '1.21.3' }] }],
    },
    {
      package: { ecosystem: 'Go', name: 'golang.org/x/net' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.17.0' }] }],
    },
  ],
  references: [{ type: 'REPORT', url: 'https://go.dev/issue/63417' }],
};

/** Log4Shell, a GHSA Maven record with three ranges and a critical CVSS v3.1 vector. */
export const GHSA_LOG4SHELL: OsvRecord = {
  id: 'GHSA-jfh8-c2jp-5v3q',
  modified: '2024-02-16T00:00:00Z',
  aliases: ['CVE-2021-44228'],
  summary: 'Remote code injection in Log4j',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' },
      ranges: [
        {
          type: 'ECOSYSTEM',
          events: [{ introduced: '2.0-beta9' }, { fixed: '2.3.1' }, { introduced: '2.4' }, { fixed: '2.12.2' }, { introduced: '2.13.0' }, { fixed: '2.15.0' }],
        },
      ],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' }],
  database_specific: { severity: 'CRITICAL' },
};

/** A withdrawn npm record: it must never be reported. */
export const WITHDRAWN_LODASH: OsvRecord = {
  id: 'GHSA-x5rq-j2xg-h7qm',
  modified: '2023-09-01T00:00:00Z',
  withdrawn: '2023-09-01T00:00:00Z',
  summary: 'Duplicate advisory: Prototype pollution in lodash',
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.99' }] }] }],
};

/** Every fixture record. */
export const ALL_RECORDS: OsvRecord[] = [DSA_OPENSSH, DLA_OPENSSH_BUSTER, DEBIAN_CVE_BULLSEYE, ALPINE_OPENSSL, GHSA_LODASH, GHSA_MULTIPART, GO_RAPID_RESET, GHSA_LOG4SHELL, WITHDRAWN_LODASH];
