import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image, Me, Page, Tag } from '@berth/api';
import {
  createDatabase,
  skopeoCopy,
  skopeoInspect,
  startBuiltBerth,
  startDistribution,
  startPostgres,
  startRoundRobin,
  writeImageLayout,
  type BerthProcess,
  type Distribution,
  type Postgres,
  type RoundRobin,
} from '@berth/testkit';
import pgLib from 'pg';
import { eventually } from './harness.ts';

const ADMIN = { username: 'admin', password: 'scale-out-admin-pw' };
const basic = (c: { username: string; password: string }) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

/**
 * Two built Berth processes on one PostgreSQL, in front of two distribution instances
 * sharing one storage directory and one http.secret, behind a round-robin balancer that
 * alternates every request: the production topology of docs/deploy.md, made of processes.
 */
describe('scale-out: two instances behave as one', () => {
  let pg: Postgres;
  let registries: Distribution[];
  let instances: BerthProcess[];
  let lb: RoundRobin;
  let work: string;
  let pushUser: { username: string; password: string };
  let databaseUrl: string;

  const api = async <T>(base: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${p}`, {
      method,
      headers: { authorization: basic(ADMIN), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-scale-'));
    pg = await startPostgres();
    databaseUrl = await createDatabase(pg.url, 'berth_scale_out');
    const storageDir = path.join(work, 'registry');
    const httpSecret = randomBytes(16).toString('hex');
    registries = await Promise.all(
      [0, 1].map(() => startDistribution({ storageDir, env: { REGISTRY_HTTP_SECRET: httpSecret } })),
    );
    const secretKey = randomBytes(32).toString('base64url');
    // Both start at once: migrations and the first admin must not trip over each other.
    instances = await Promise.all(
      registries.map((r, i) =>
        startBuiltBerth({
          BERTH_DATABASE_URL: databaseUrl,
          BERTH_UPSTREAM_URL: r.url,
          BERTH_SECRET_KEY: secretKey,
          BERTH_ADMIN_PASSWORD: ADMIN.password,
          BERTH_DATA_DIR: path.join(work, `berth-${i}`),
          BERTH_PULL_FLUSH_MS: '100',
          BERTH_JOB_POLL_MS: '100',
          BERTH_LOG_LEVEL: 'warn',
        }),
      ),
    );
    lb = await startRoundRobin(instances.map((b) => b.url));
    expect((await api(lb.url, 'POST', '/repositories', { name: 'shared' })).status).toBe(201);
    const user = await api<{ secret: string }>(lb.url, 'POST', '/repositories/shared/users', { name: 'ci', permission: 'push' });
    pushUser = { username: 'shared', password: user.body.secret };
  });

  afterAll(async () => {
    await lb?.stop();
    await Promise.all((instances ?? []).map((b) => b.stop()));
    await Promise.all((registries ?? []).map((r) => r.stop()));
    await pg?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('pushes and pulls with every request alternating between instances', async () => {
    const layout = path.join(work, 'alt');
    const written = await writeImageLayout(layout, { tag: 'v1', layers: [{ randomBytes: 2_000_000, seed: 'alt' }, { files: { 'a.txt': 'alt' } }] });
    const before = lb.served.length;
    await skopeoCopy(`oci:${layout}:v1`, `docker://${lb.host}/shared/alt:v1`, { destCreds: pushUser });
    await skopeoCopy(`docker://${lb.host}/shared/alt:v1`, `oci:${path.join(work, 'alt-pulled')}:v1`, { srcCreds: pushUser });
    const served = lb.served.slice(before).map((r) => r.target);
    expect(served.length).toBeGreaterThan(6);
    expect(served.every((target, i) => i === 0 || target !== served[i - 1])).toBe(true);
    for (const b of instances) {
      const inspected = (await skopeoInspect(`docker://${new URL(b.url).host}/shared/alt:v1`, { creds: pushUser })) as { Digest: string };
      expect(inspected.Digest).toBe(written.manifestDigest);
    }
  });

  it('finishes on one instance an upload started on the other', async () => {
    const auth = basic(pushUser);
    const body = randomBytes(300_000);
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const [a, b] = instances as [BerthProcess, BerthProcess];
    const post = await fetch(`${a.url}/v2/shared/chunks/blobs/uploads/`, { method: 'POST', headers: { authorization: auth } });
    expect(post.status).toBe(202);
    const patch = await fetch(new URL(post.headers.get('location')!, b.url), {
      method: 'PATCH',
      headers: { authorization: auth, 'content-type': 'application/octet-stream', 'content-range': `0-${body.length - 1}` },
      body,
    });
    expect(patch.status).toBe(202);
    const put = new URL(patch.headers.get('location')!, a.url);
    put.searchParams.set('digest', digest);
    expect((await fetch(put, { method: 'PUT', headers: { authorization: auth } })).status).toBe(201);
    const got = await fetch(`${b.url}/v2/shared/chunks/blobs/${digest}`, { headers: { authorization: auth } });
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
  });

  it('serves concurrent pushes and pulls on both instances, every digest intact', async () => {
    const jobs = [0, 1, 2, 3].map(async (i) => {
      const layout = path.join(work, `c${i}`);
      const written = await writeImageLayout(layout, { tag: 't', layers: [{ randomBytes: 1_000_000, seed: `c${i}` }] });
      const host = new URL(instances[i % 2]!.url).host;
      await skopeoCopy(`oci:${layout}:t`, `docker://${host}/shared/concurrent-${i}:t`, { destCreds: pushUser });
      const other = new URL(instances[(i + 1) % 2]!.url).host;
      await skopeoCopy(`docker://${other}/shared/concurrent-${i}:t`, `oci:${path.join(work, `c${i}-pulled`)}:t`, { srcCreds: pushUser });
      const pulledIndex = JSON.parse(fs.readFileSync(path.join(work, `c${i}-pulled`, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      return [written.manifestDigest, pulledIndex.manifests[0]!.digest];
    });
    for (const [pushed, pulled] of await Promise.all(jobs)) expect(pulled).toBe(pushed);
    const images = await api<Page<Image>>(lb.url, 'GET', '/repositories/shared/images?q=concurrent');
    expect(images.body.items.map((i) => i.name).sort()).toEqual(['concurrent-0', 'concurrent-1', 'concurrent-2', 'concurrent-3']);
  });

  it('adds pull counts from both instances exactly', async () => {
    const layout = path.join(work, 'counted');
    await writeImageLayout(layout, { tag: 'c', layers: [{ files: { 'c.txt': 'count' } }] });
    await skopeoCopy(`oci:${layout}:c`, `docker://${lb.host}/shared/counted:c`, { destCreds: pushUser });
    const pulls = [0, 1, 0, 1, 1].map((i) => instances[i]!);
    await Promise.all(
      pulls.map((b) =>
        fetch(`${b.url}/v2/shared/counted/manifests/c`, {
          headers: { authorization: basic(pushUser), accept: 'application/vnd.oci.image.manifest.v1+json' },
        }).then((r) => r.arrayBuffer()),
      ),
    );
    await eventually(async () => {
      const tag = (await api<Page<Tag>>(instances[0]!.url, 'GET', '/repositories/shared/images/counted/tags')).body.items[0]!;
      expect(tag.pullCount).toBe(5);
      const image = (await api<Image>(instances[1]!.url, 'GET', '/repositories/shared/images/counted')).body;
      expect(image.pullCount).toBe(5);
    });
  });

  it('puts a change made on one instance in force on the other at once', async () => {
    const [a, b] = instances as [BerthProcess, BerthProcess];
    const created = await api<{ secret: string }>(a.url, 'POST', '/repositories/shared/users', { name: 'short-lived', permission: 'pull' });
    const creds = { username: 'shared', password: created.body.secret };
    const manifest = (base: string) =>
      fetch(`${base}/v2/shared/alt/manifests/v1`, { headers: { authorization: basic(creds), accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect((await manifest(b.url)).status).toBe(200);
    expect((await api(a.url, 'PATCH', '/repositories/shared/users/short-lived', { disabled: true })).status).toBe(200);
    expect((await manifest(b.url)).status).toBe(401);

    // A console session started on one instance works on the other.
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const me = await fetch(`${b.url}/api/v1/auth/me`, { headers: { cookie } });
    expect(((await me.json()) as Me).username).toBe('admin');
  });

  it('holds a lock set on one instance on the other at once, and runs the daily deletion policy on one instance only, once', async () => {
    const [a, b] = instances as [BerthProcess, BerthProcess];
    const layout = path.join(work, 'cleaned');
    const old = await writeImageLayout(layout, { tag: 'old', layers: [{ files: { 'old.txt': 'pushed long ago\n' } }] });
    await writeImageLayout(layout, { tag: 'new', layers: [{ files: { 'new.txt': 'pushed today\n' } }] });
    for (const tag of ['old', 'new']) await skopeoCopy(`oci:${layout}:${tag}`, `docker://${lb.host}/shared/cleaned:${tag}`, { destCreds: pushUser });

    expect((await api(a.url, 'PATCH', '/repositories/shared/images/cleaned', { locked: true })).status).toBe(200);
    await expect(skopeoCopy(`oci:${layout}:new`, `docker://${new URL(b.url).host}/shared/cleaned:again`, { destCreds: pushUser })).rejects.toThrow(/locked/);
    expect((await api(b.url, 'DELETE', '/repositories/shared/images/cleaned/tags/old')).status).toBe(409);
    expect((await api(b.url, 'PATCH', '/repositories/shared/images/cleaned', { locked: false })).status).toBe(200);

    const db = new pgLib.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await db.query(`update artifacts set pushed_at = $1 where digest = $2`, [new Date(Date.now() - 40 * 86_400_000).toISOString(), old.manifestDigest]);
      expect((await api(a.url, 'PUT', '/repositories/shared/images/cleaned/deletion-policy', { enabled: true, untagged: false, olderThanDays: 30 })).status).toBe(200);
      // Both instances queued the day's run at start: one job, by its key.
      const queued = await db.query(`select id from jobs where kind = 'deletion-policy.daily' and status = 'queued'`);
      expect(queued.rows).toHaveLength(1);
      await db.query(`update jobs set run_at = $1 where id = $2`, [new Date(Date.now() - 1000).toISOString(), queued.rows[0].id]);
      const runs = async () => (await db.query(`select after from audit_log where action = 'deletion-policy.run' and target = 'shared/cleaned'`)).rows;
      await eventually(async () => expect(await runs()).toHaveLength(1), 10_000);
      // Both keep polling: nothing runs it again, and tomorrow's run is queued once.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await runs()).toHaveLength(1);
      expect(JSON.parse((await runs())[0].after)).toMatchObject({ deleted: [{ tag: 'old', digest: old.manifestDigest, reason: 'older-than' }] });
      const next = await db.query(`select run_at from jobs where kind = 'deletion-policy.daily' and status = 'queued'`);
      expect(next.rows).toHaveLength(1);
      expect(new Date(next.rows[0].run_at).getTime()).toBeGreaterThan(Date.now());
    } finally {
      await db.end();
    }
    expect((await api<Page<Tag>>(b.url, 'GET', '/repositories/shared/images/cleaned/tags')).body.items.map((t) => t.name)).toEqual(['new']);
  });

  it('survives an instance killed mid-push: the retry succeeds and nothing half-written shows', async () => {
    const layout = path.join(work, 'killed');
    const written = await writeImageLayout(layout, { tag: 'k', layers: [{ randomBytes: 64 * 1024 * 1024, seed: 'killed' }] });
    const victim = instances[0]!;
    const before = lb.served.length;
    const push = skopeoCopy(`oci:${layout}:k`, `docker://${lb.host}/shared/killed:k`, { destCreds: pushUser });
    // Kill the victim the moment it is handed a layer upload: the push is mid-flight.
    const uploading = () =>
      lb.served.slice(before).some((r) => r.target === 0 && /blobs\/uploads\/.+/.test(r.url) && (r.method === 'PATCH' || r.method === 'PUT'));
    for (let waited = 0; !uploading() && waited < 10_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    expect(uploading()).toBe(true);
    process.kill(victim.pid, 'SIGKILL');
    const first = await push.then(
      () => 'ok',
      () => 'failed',
    );
    expect(first).toBe('failed');
    const survivor = instances[1]!.url;
    const tags = await api<Page<Tag>>(survivor, 'GET', '/repositories/shared/images/killed/tags');
    expect(tags.status === 404 || tags.body.items.length === 0).toBe(true);
    const direct = await fetch(`${registries[0]!.url}/v2/shared/killed/manifests/k`, { method: 'HEAD' });
    expect(direct.status).toBe(404);
    // The client retries; the balancer has taken the dead instance out of rotation.
    let retried = false;
    for (let attempt = 0; attempt < 3 && !retried; attempt++) {
      retried = await skopeoCopy(`oci:${layout}:k`, `docker://${lb.host}/shared/killed:k`, { destCreds: pushUser }).then(
        () => true,
        () => false,
      );
    }
    expect(retried).toBe(true);
    const inspected = (await skopeoInspect(`docker://${new URL(survivor).host}/shared/killed:k`, { creds: pushUser })) as { Digest: string };
    expect(inspected.Digest).toBe(written.manifestDigest);
    const after = await api<Page<Tag>>(survivor, 'GET', '/repositories/shared/images/killed/tags');
    expect(after.body.items.map((t) => [t.name, t.digest])).toEqual([['k', written.manifestDigest]]);
  });
});
