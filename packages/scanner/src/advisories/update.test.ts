import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdvisoryDatabase } from './database.ts';
import { DSA_OPENSSH, GHSA_LODASH, GHSA_MULTIPART, GO_RAPID_RESET, makeZip, zipOfRecords } from './test-fixtures.ts';
import { archivePath, updateDatabase } from './update.ts';

/** What the fake bucket serves, by request path. */
const bucket = new Map<string, Buffer>();
const requested: string[] = [];
let server: http.Server;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requested.push(req.url ?? '');
    const body = bucket.get(req.url ?? '');
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such object');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-vulndb-update-'));
  bucket.clear();
  requested.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function filesUnder(d: string): Promise<string[]> {
  return (await fs.readdir(d, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(d, path.join(e.parentPath, e.name))).sort();
}

describe('updating the advisory database from OSV', () => {
  it('downloads each ecosystem archive, writes the metadata, and the result loads', async () => {
    const debian = zipOfRecords([DSA_OPENSSH]);
    bucket.set('/Debian/all.zip', debian);
    bucket.set('/Rocky%20Linux/all.zip', zipOfRecords([{ ...DSA_OPENSSH, id: 'RLSA-2024:0001', affected: [{ package: { ecosystem: 'Rocky Linux:9', name: 'openssh' } }] }]));
    bucket.set('/npm/all.zip', zipOfRecords([GHSA_LODASH, { ...GHSA_LODASH, id: 'GHSA-aaaa-bbbb-cccc' }]));

    const report = await updateDatabase({ dir, baseUrl, ecosystems: ['Debian', 'Rocky Linux', 'npm'] });

    expect(requested).toEqual(['/Debian/all.zip', '/Rocky%20Linux/all.zip', '/npm/all.zip']);
    expect(report.failed).toEqual([]);
    expect(report.sources).toEqual([
      { ecosystem: 'Debian', url: `${baseUrl}Debian/all.zip`, bytes: debian.length, records: 1 },
      { ecosystem: 'Rocky Linux', url: `${baseUrl}Rocky%20Linux/all.zip`, bytes: expect.any(Number), records: 1 },
      { ecosystem: 'npm', url: `${baseUrl}npm/all.zip`, bytes: expect.any(Number), records: 2 },
    ]);
    expect(await filesUnder(dir)).toEqual(['Debian/all.zip', 'Rocky Linux/all.zip', 'berth-vuln-db.json', 'npm/all.zip']);
    const metadata = JSON.parse(await fs.readFile(path.join(dir, 'berth-vuln-db.json'), 'utf8'));
    expect(metadata).toEqual({ updatedAt: report.updatedAt, sources: report.sources });
    expect(Date.now() - Date.parse(report.updatedAt!)).toBeLessThan(60_000);

    const db = await AdvisoryDatabase.load(dir);
    expect(db.info).toMatchObject({ records: 4, updatedAt: report.updatedAt });
  });

  it('keeps the previous archive when a download is missing (404) or not a zip, and says which ecosystem failed', async () => {
    const oldNpm = zipOfRecords([GHSA_LODASH]);
    const oldPypi = zipOfRecords([GHSA_MULTIPART]);
    await fs.mkdir(path.join(dir, 'npm'));
    await fs.mkdir(path.join(dir, 'PyPI'));
    await fs.writeFile(archivePath(dir, 'npm'), oldNpm);
    await fs.writeFile(archivePath(dir, 'PyPI'), oldPypi);
    await fs.writeFile(path.join(dir, 'berth-vuln-db.json'), JSON.stringify({ updatedAt: '2025-01-01T00:00:00.000Z', sources: [{ ecosystem: 'PyPI', url: 'old', bytes: oldPypi.length, records: 1 }] }));
    const corrupt = zipOfRecords([GHSA_MULTIPART, GO_RAPID_RESET]).subarray(0, 200);
    bucket.set('/PyPI/all.zip', corrupt);
    bucket.set('/Go/all.zip', zipOfRecords([GO_RAPID_RESET]));

    const report = await updateDatabase({ dir, baseUrl, ecosystems: ['npm', 'PyPI', 'Go'] });

    expect(report.failed).toEqual([
      { ecosystem: 'npm', url: `${baseUrl}npm/all.zip`, reason: 'HTTP 404 Not Found' },
      { ecosystem: 'PyPI', url: `${baseUrl}PyPI/all.zip`, reason: expect.stringMatching(/^not a readable zip: /) },
    ]);
    expect(report.sources.map((s) => s.ecosystem)).toEqual(['Go']);
    expect(await fs.readFile(archivePath(dir, 'npm'))).toEqual(oldNpm);
    expect(await fs.readFile(archivePath(dir, 'PyPI'))).toEqual(oldPypi);
    expect(await filesUnder(dir)).toEqual(['Go/all.zip', 'PyPI/all.zip', 'berth-vuln-db.json', 'npm/all.zip']);
    const metadata = JSON.parse(await fs.readFile(path.join(dir, 'berth-vuln-db.json'), 'utf8'));
    expect(metadata.sources.map((s: { ecosystem: string }) => s.ecosystem)).toEqual(['PyPI', 'Go']);
    expect((await AdvisoryDatabase.load(dir)).info.records).toBe(3);
  });

  it('refuses a zip without any OSV record, and leaves the metadata alone when nothing was updated', async () => {
    bucket.set('/Alpine/all.zip', makeZip([{ name: 'README.txt', data: 'nothing here' }]));
    const report = await updateDatabase({ dir, baseUrl, ecosystems: ['Alpine'] });
    expect(report).toMatchObject({ updatedAt: null, sources: [], failed: [{ ecosystem: 'Alpine', reason: 'the archive holds no OSV record' }] });
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('stops at an abort, leaving no partial download behind', async () => {
    bucket.set('/Debian/all.zip', zipOfRecords([DSA_OPENSSH]));
    bucket.set('/npm/all.zip', zipOfRecords([GHSA_LODASH]));
    const controller = new AbortController();
    const abortOnNpm: typeof fetch = (input, init) => {
      if (String(input).includes('/npm/')) controller.abort();
      return fetch(input, init);
    };
    await expect(updateDatabase({ dir, baseUrl, ecosystems: ['Debian', 'npm', 'Go'], fetch: abortOnNpm, signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(requested).toEqual(['/Debian/all.zip']);
    expect(await filesUnder(dir)).toEqual(['Debian/all.zip']);
  });

  it('says so when the server cannot be reached', async () => {
    const report = await updateDatabase({ dir, baseUrl: 'http://127.0.0.1:1', ecosystems: ['Go'] });
    expect(report.failed).toEqual([{ ecosystem: 'Go', url: 'http://127.0.0.1:1/Go/all.zip', reason: expect.any(String) }]);
    expect(report.sources).toEqual([]);
  });
});
