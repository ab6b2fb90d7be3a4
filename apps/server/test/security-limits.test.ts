import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoCopy, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const ADMIN = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/**
 * Unbounded input: bodies past their limits (declared or chunked), lists asked for a
 * million rows, long or wildcard-laden filters, sort and cursor values that try to reach
 * the SQL, and deletion-policy patterns built to backtrack. Each is bounded or refused
 * with a 4xx, never a 5xx.
 */
describe('security: limits on bodies, lists, filters and patterns', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let teamAuth: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sec-limits-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    const secret = await repositoryWithUser(berth, 'team', 'ci', 'push');
    await repositoryWithUser(berth, 'other', 'ci', 'push');
    teamAuth = `Basic ${Buffer.from(`team:${secret}`).toString('base64')}`;
    const layout = path.join(work, 'img');
    await writeImageLayout(layout, { tag: 't', layers: [{ files: { 'a.txt': 'limits' } }] });
    for (const name of ['team/a_b', 'team/axb', 'other/hidden']) {
      await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/${name}:t`, { destCreds: { username: 'admin', password: ADMIN_PASSWORD } });
    }
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const api = (method: string, p: string, body?: string) =>
    fetch(`${berth.url}/api/v1${p}`, { method, headers: { authorization: ADMIN, 'content-type': 'application/json' }, body });
  const apiCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
  /** A request whose body goes chunked, with no Content-Length to refuse it by. */
  const chunked = (method: string, p: string, headers: Record<string, string>, size: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: berth.port, method, path: p, headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const piece = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });

  it('refuses an /api body over 64 kB with 413, declared or chunked', async () => {
    const big = JSON.stringify({ name: 'big', description: 'x'.repeat(70 * 1024) });
    const declared = await api('POST', '/repositories', big);
    expect([declared.status, await apiCode(declared)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const streamed = await chunked('POST', '/api/v1/repositories', { authorization: ADMIN, 'content-type': 'application/json' }, 1024 * 1024).catch(() => null);
    // Berth answers 413 and may close the connection before the whole body is sent.
    if (streamed) expect(streamed.status).toBe(413);
    expect((await api('GET', '/repositories/big')).status).toBe(404);
  });

  it('refuses a chunked manifest over 4 MiB with 413, storing nothing', async () => {
    const res = await chunked('PUT', '/v2/team/a_b/manifests/huge', { authorization: teamAuth, 'content-type': OCI_MANIFEST }, 5 * 1024 * 1024).catch(() => null);
    if (res) expect(res.status).toBe(413);
    const head = await fetch(`${berth.url}/v2/team/a_b/manifests/huge`, { method: 'HEAD', headers: { authorization: teamAuth, accept: OCI_MANIFEST } });
    expect(head.status).toBe(404);
  });

  it('caps _catalog at 1,000 names however many are asked for, and shows a repository user only its own', async () => {
    for (const q of ['n=1000000', 'n=-1', 'n=abc', 'n=1e309', `last=${encodeURIComponent("' or 1=1 --")}`, 'n=1&n=2']) {
      const res = await fetch(`${berth.url}/v2/_catalog?${q}`, { headers: { authorization: teamAuth } });
      expect(res.status, q).toBe(200);
      const { repositories } = (await res.json()) as { repositories: string[] };
      expect(repositories.length).toBeLessThanOrEqual(1000);
      expect(repositories.every((r) => r.startsWith('team/')), q).toBe(true);
    }
    const all = (await (await fetch(`${berth.url}/v2/_catalog?n=1000000`, { headers: { authorization: ADMIN } })).json()) as { repositories: string[] };
    expect(all.repositories).toEqual(['other/hidden', 'team/a_b', 'team/axb']);
  });

  it('takes LIKE wildcards in q as themselves, and refuses a q longer than the limit', async () => {
    const names = async (q: string) => ((await (await api('GET', `/repositories/team/images?q=${encodeURIComponent(q)}`)).json()) as { items: { name: string }[] }).items.map((i) => i.name);
    expect(await names('a_b')).toEqual(['a_b']);
    expect(await names('%')).toEqual([]);
    expect(await names('\\')).toEqual([]);
    expect(await names("' or 1=1 --")).toEqual([]);
    const long = await api('GET', `/repositories/team/images?q=${'a'.repeat(10_000)}`);
    expect([long.status, await apiCode(long)]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it.each([
    'sort=name;drop table images',
    'sort=name%20desc',
    'order=asc;drop table images',
    'order=asc%20nulls%20first',
    'sort=name&sort=pullCount',
    'limit=1e9',
    'limit=-1',
  ])('refuses the list parameters %s with 400, never reaching the SQL', async (q) => {
    const res = await api('GET', `/repositories/team/images?${q}`);
    expect([res.status, await apiCode(res)]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('takes a cursor only as data: SQL in it matches nothing, the wrong type is refused', async () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const sqlish = await api('GET', `/repositories/team/images?cursor=${cursor(["zzz' or '1'='1", 1])}`);
    expect(sqlish.status).toBe(200);
    expect(((await sqlish.json()) as { items: unknown[] }).items).toEqual([]);
    for (const bad of [cursor(['a', 1]), cursor([{ a: 1 }, 1]), cursor([1, -1]), cursor(['a', 2 ** 60])]) {
      const res = await api('GET', `/repositories/team/images?sort=pullCount&cursor=${bad}`);
      expect([res.status, await apiCode(res)]).toEqual([400, 'INVALID_CURSOR']);
    }
  });

  it('takes only bounded glob patterns for deletion policies, and evaluates the worst of them', async () => {
    const policy = (keepTagPatterns: string[]) =>
      api('PUT', `/repositories/team/images/${encodeURIComponent('a_b')}/deletion-policy`, JSON.stringify({ enabled: false, untagged: true, keepTagPatterns }));
    for (const bad of [['(a+)+$'], ['a'.repeat(129)], Array.from({ length: 21 }, (_, i) => `p${i}`), ['../*'], ['a b']]) {
      const res = await policy(bad);
      expect([res.status, await apiCode(res)]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const worst = `${'*a'.repeat(63)}*b`;
    expect((await policy([worst])).status).toBe(200);
    const test = await api('POST', `/repositories/team/images/${encodeURIComponent('a_b')}/deletion-policy/test`, '{}');
    expect(test.status).toBe(200);
  });
});
