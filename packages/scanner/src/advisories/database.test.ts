import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../types.ts';
import { AdvisoryDatabase } from './database.ts';
import { ALPINE_OPENSSL, DEBIAN_CVE_BULLSEYE, DLA_OPENSSH_BUSTER, DSA_OPENSSH, GHSA_LODASH, GHSA_LOG4SHELL, GHSA_MULTIPART, GO_RAPID_RESET, WITHDRAWN_LODASH, makeZip, zipOfRecords } from './test-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-vulndb-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(rel: string, data: string | Buffer): Promise<void> {
  await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await fs.writeFile(path.join(dir, rel), data);
}

/** The layout OSV's bucket has, plus loose records in subdirectories. */
async function writeDatabase(): Promise<void> {
  await write('Debian/all.zip', zipOfRecords([DSA_OPENSSH, DLA_OPENSSH_BUSTER, DEBIAN_CVE_BULLSEYE]));
  await write('alpine-v3.19.zip', zipOfRecords([ALPINE_OPENSSL]));
  await write('npm/GHSA-35jh-r3h4-6jhm.json', JSON.stringify(GHSA_LODASH));
  await write('npm/withdrawn/GHSA-x5rq-j2xg-h7qm.json', JSON.stringify(WITHDRAWN_LODASH));
  await write('other/records.json', JSON.stringify([GHSA_MULTIPART, GO_RAPID_RESET, GHSA_LOG4SHELL]));
}

const lodashImage: Inventory = {
  os: null,
  packages: [{ type: 'npm', name: 'lodash', version: '4.17.20', path: 'app/node_modules/lodash/package.json', layer: 'sha256:1', purl: 'pkg:npm/lodash@4.17.20', licenses: ['MIT'] }],
  secrets: [],
  notes: [],
};

describe('loading the advisory database from a directory', () => {
  it('reads zipped and loose records in subdirectories, dropping withdrawn ones, and counts them per ecosystem', async () => {
    await writeDatabase();
    const db = await AdvisoryDatabase.load(dir);
    expect(db.info.records).toBe(8);
    expect(db.info.ecosystems).toEqual([
      { name: 'Alpine', records: 1 },
      { name: 'Debian', records: 3 },
      { name: 'Go', records: 1 },
      { name: 'Maven', records: 1 },
      { name: 'PyPI', records: 1 },
      { name: 'npm', records: 1 },
    ]);
    expect(db.info.dir).toBe(dir);
    expect(db.lookup('Debian:12', 'openssh').map((e) => e.record.id).sort()).toEqual(['DEBIAN-CVE-2023-51767', 'DLA-3694-1', 'DSA-5586-1']);
    expect(db.lookup('PyPI', 'Python.Multipart').map((e) => e.record.id)).toEqual(['GHSA-2jv5-9r88-3w3p']);
    expect(db.match(lodashImage).map((v) => v.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
  });

  it('takes updatedAt from the update metadata, else from the newest modified record', async () => {
    await writeDatabase();
    expect((await AdvisoryDatabase.load(dir)).info.updatedAt).toBe(GO_RAPID_RESET.modified);
    await write('berth-vuln-db.json', JSON.stringify({ updatedAt: '2025-06-01T12:00:00.000Z', sources: [] }));
    const db = await AdvisoryDatabase.load(dir);
    expect(db.info.updatedAt).toBe('2025-06-01T12:00:00.000Z');
    expect(db.info.records).toBe(8);
  });

  it('gives the same version to the same records and a new one when a record changes', async () => {
    await writeDatabase();
    const first = (await AdvisoryDatabase.load(dir)).info.version;
    expect((await AdvisoryDatabase.load(dir)).info.version).toBe(first);
    expect(AdvisoryDatabase.fromRecords([DSA_OPENSSH, DLA_OPENSSH_BUSTER, DEBIAN_CVE_BULLSEYE, ALPINE_OPENSSL, GHSA_LODASH, GHSA_MULTIPART, GO_RAPID_RESET, GHSA_LOG4SHELL]).info.version).toBe(first);
    await write('npm/GHSA-35jh-r3h4-6jhm.json', JSON.stringify({ ...GHSA_LODASH, modified: '2024-09-09T00:00:00Z' }));
    expect((await AdvisoryDatabase.load(dir)).info.version).not.toBe(first);
  });

  it('keeps the latest copy of a record found twice, and a newer withdrawn copy hides it', async () => {
    const older = { ...GHSA_LODASH, modified: '2022-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.19' }] }] }] };
    await write('npm/all.zip', zipOfRecords([older]));
    await write('loose/GHSA-35jh-r3h4-6jhm.json', JSON.stringify(GHSA_LODASH));
    const db = await AdvisoryDatabase.load(dir);
    expect(db.info.records).toBe(1);
    expect(db.match(lodashImage).map((v) => v.fixedVersion)).toEqual(['4.17.21']);

    await write('later/GHSA-35jh-r3h4-6jhm.json', JSON.stringify({ ...GHSA_LODASH, modified: '2025-01-01T00:00:00Z', withdrawn: '2025-01-01T00:00:00Z' }));
    const withdrawn = await AdvisoryDatabase.load(dir);
    expect(withdrawn.info.records).toBe(0);
    expect(withdrawn.match(lodashImage)).toEqual([]);
  });

  it('skips files and zip entries that are not OSV records, saying which', async () => {
    await writeDatabase();
    await write('broken.json', '{"id": "GHSA-');
    await write('notes/README.json', JSON.stringify({ hello: 'world' }));
    await write('mixed.zip', makeZip([{ name: 'bad.json', data: 'not json' }, { name: 'README.md', data: '# ignored' }, { name: 'GHSA-35jh-r3h4-6jhm.json', data: JSON.stringify(GHSA_LODASH) }]));
    const problems: string[] = [];
    const db = await AdvisoryDatabase.load(dir, { onProblem: (where) => problems.push(path.relative(dir, where)) });
    expect(db.info.records).toBe(8);
    expect(db.info.skipped).toBe(3);
    expect(problems.sort()).toEqual(['broken.json', 'mixed.zip:bad.json', 'notes/README.json']);
  });

  it('refuses an archive that is not a zip, naming it', async () => {
    await writeDatabase();
    await write('PyPI/all.zip', 'this is not a zip archive at all, just text');
    await expect(AdvisoryDatabase.load(dir)).rejects.toThrow(/PyPI\/all\.zip is not a readable zip/);
  });

  it('ignores hidden files (partial downloads) and loads an empty or missing directory as no records', async () => {
    await write('.npm.all.zip.download', 'partial');
    await write('.hidden/GHSA-35jh-r3h4-6jhm.json', JSON.stringify(GHSA_LODASH));
    expect((await AdvisoryDatabase.load(dir)).info).toMatchObject({ records: 0, ecosystems: [], updatedAt: null, skipped: 0 });
    expect((await AdvisoryDatabase.load(path.join(dir, 'missing'))).info.records).toBe(0);
  });
});
