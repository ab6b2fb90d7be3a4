import fs from 'node:fs';
import path from 'node:path';

/**
 * A small advisory database in OSV's own format, one `<id>.json` record per file as OSV's
 * `all.zip` archives hold them, for the scanning spec's image: a Debian 12 advisory filed by
 * source package (`openssl`, whose binary package `libssl3` the image has) and an npm GHSA
 * record for `lodash` before 4.17.21. The GHSA record is GitHub's CVE-2021-23337 with its
 * CVSS v3.1 vector raised to Critical (PR:N, 9.8; GitHub rates it High) so that a Critical
 * limit of 1 refuses the image.
 */
export const ADVISORIES = {
  debian: {
    id: 'DSA-5532-1',
    modified: '2023-10-25T00:00:00Z',
    published: '2023-10-24T00:00:00Z',
    aliases: [],
    upstream: ['CVE-2023-5363'],
    summary: 'openssl - security update',
    details: 'Tony Battersby reported that incorrect cipher key and IV length processing could result in loss of confidentiality.',
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'openssl', purl: 'pkg:deb/debian/openssl?arch=source' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }],
      },
    ],
    references: [{ type: 'ADVISORY', url: 'https://www.debian.org/security/2023/dsa-5532' }],
  },
  lodash: {
    id: 'GHSA-35jh-r3h4-6jhm',
    modified: '2024-03-01T00:00:00Z',
    published: '2021-05-06T16:05:51Z',
    aliases: ['CVE-2021-23337'],
    summary: 'Command Injection in lodash',
    details: '`lodash` versions prior to 4.17.21 are vulnerable to Command Injection via the template function.',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      { package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] },
    ],
    references: [
      { type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' },
      { type: 'WEB', url: 'https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c' },
    ],
    database_specific: { cwe_ids: ['CWE-77', 'CWE-94'], github_reviewed: true, severity: 'CRITICAL' },
  },
} as const;

/**
 * Writes the records under `dir` (`debian/…`, `npm/…`) and the metadata `berth vuln-db
 * update` would write beside them (updated now, so the database is not stale).
 */
export function writeAdvisoryDatabase(dir: string): void {
  for (const [ecosystem, record] of [
    ['debian', ADVISORIES.debian],
    ['npm', ADVISORIES.lodash],
  ] as const) {
    fs.mkdirSync(path.join(dir, ecosystem), { recursive: true });
    fs.writeFileSync(path.join(dir, ecosystem, `${record.id}.json`), JSON.stringify(record, null, 2));
  }
  fs.writeFileSync(path.join(dir, 'berth-vuln-db.json'), JSON.stringify({ updatedAt: new Date().toISOString(), sources: [] }, null, 2));
}
