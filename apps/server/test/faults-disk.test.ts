import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseProblems } from '@berth/api';
import { MANIFEST_ACCEPT, sha256Digest } from '@berth/oci';
import { eventually } from './harness.ts';
import { CommandError, createDatabase, skopeoCopy, startBuiltBerthOnDisks, startPostgres, writeImageLayout, type BerthOnDisks, type Postgres } from '@berth/testkit';

const ADMIN = { username: 'admin', password: 'disk-fault-admin-pw' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
const MiB = 1024 * 1024;
const onPostgres = (process.env.BERTH_TEST_DB ?? 'sqlite') === 'postgres';

interface OciErrorBody {
  errors: { code: string; message: string }[];
}

/**
 * The built Berth on its embedded registry, its data dir on a small disk of its own and the
 * registry's storage (`<data>/registry`) on another (real tmpfs mounts in a mount namespace of
 * its own): pushes onto a full or read-only registry disk fail at once with a clear OCI error
 * and leave nothing half-written, what was pushed before stays pullable, and the same push
 * succeeds once space is back or the disk writable again; the API answers 507 STORAGE_FULL
 * while SQLite cannot write and keeps reading. (A disk in use cannot be remounted read-only
 * while SQLite holds its database open for writing, so the read-only disk is the registry's.)
 * On PostgreSQL the database lives elsewhere and the API keeps writing.
 */
describe('faults: the data disk full or read-only', () => {
  let work: string;
  let dataDir: string;
  let registryDir: string;
  let berth: BerthOnDisks;
  let postgres: Postgres | null = null;
  let before: Awaited<ReturnType<typeof writeImageLayout>>;
  const layout = () => path.join(work, 'layout');
  const host = () => new URL(berth.url).host;
  const v2 = (p: string, init: RequestInit = {}) =>
    fetch(`${berth.url}/v2/${p}`, { ...init, headers: { authorization: AUTH, accept: MANIFEST_ACCEPT, ...(init.headers as Record<string, string>) } });
  const api = async <T = unknown>(method: string, p: string, body?: unknown) => {
    const res = await fetch(`${berth.url}/api/v1${p}`, {
      method,
      headers: { authorization: AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const problems = responseProblems({ method, path: p, status: res.status, contentType: res.headers.get('content-type'), text });
    expect(problems, `${method} ${p}: the answer breaks the API contract`).toEqual([]);
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-disk-'));
    dataDir = path.join(work, 'data');
    registryDir = path.join(dataDir, 'registry');
    const env: Record<string, string> = { BERTH_DATA_DIR: dataDir, BERTH_ADMIN_PASSWORD: ADMIN.password, BERTH_LOG_LEVEL: 'warn', BERTH_PULL_FLUSH_MS: '100' };
    if (onPostgres) {
      postgres = await startPostgres();
      env.BERTH_DATABASE_URL = await createDatabase(postgres.url, 'berth_disk_faults');
    }
    berth = await startBuiltBerthOnDisks(
      [
        { path: dataDir, sizeBytes: 32 * MiB },
        { path: registryDir, sizeBytes: 48 * MiB },
      ],
      env,
      { showLogs: process.env.BERTH_TEST_LOG !== undefined },
    );
    expect((await api('POST', '/repositories', { name: 'disk' })).status).toBe(201);
    before = await writeImageLayout(layout(), { tag: 'before', layers: [{ randomBytes: 300_000, seed: 'before' }] });
    await skopeoCopy(`oci:${layout()}:before`, `docker://${host()}/disk/app:before`, { destCreds: ADMIN });
  });
  afterAll(async () => {
    await berth?.stop();
    await postgres?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Reads a blob through Berth and returns its sha256 digest. */
  const blobDigest = async (name: string, digest: string): Promise<string> => {
    const res = await v2(`${name}/blobs/${digest}`);
    expect(res.status, `${name} blob ${digest}`).toBe(200);
    const hash = createHash('sha256');
    for await (const chunk of res.body!) hash.update(chunk);
    return `sha256:${hash.digest('hex')}`;
  };

  /** The image pushed first still pulls whole: its manifest, config and layers. */
  const expectBeforePullable = async () => {
    const res = await v2('disk/app/manifests/before');
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(sha256Digest(body)).toBe(before.manifestDigest);
    const m = JSON.parse(body.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
    for (const d of [m.config.digest, ...m.layers.map((l) => l.digest)]) expect(await blobDigest('disk/app', d)).toBe(d);
  };

  /**
   * Nothing half-written on the registry's disk: every blob file hashes to its name, no temp
   * file is left, upload sessions hold no bytes, and every tag names a manifest that reads back.
   */
  const expectNothingHalfWritten = async () => {
    const root = berth.outside(registryDir);
    const blobs = path.join(root, 'blobs');
    for (const alg of fs.readdirSync(blobs)) {
      for (const prefix of fs.readdirSync(path.join(blobs, alg))) {
        for (const hex of fs.readdirSync(path.join(blobs, alg, prefix))) {
          const hash = createHash(alg);
          for await (const chunk of fs.createReadStream(path.join(blobs, alg, prefix, hex))) hash.update(chunk as Buffer);
          expect(`${alg}:${hash.digest('hex')}`, 'a stored blob').toBe(`${alg}:${hex}`);
        }
      }
    }
    expect(fs.readdirSync(path.join(root, 'tmp')), 'temp files left behind').toEqual([]);
    for (const id of fs.readdirSync(path.join(root, 'uploads'))) {
      const data = fs.statSync(path.join(root, 'uploads', id, 'data'), { throwIfNoEntry: false });
      expect(data?.size ?? 0, `bytes kept by the failed upload ${id}`).toBe(0);
    }
    const tagsDir = path.join(root, 'repositories', 'disk', 'app', '_manifests', 'tags');
    for (const tag of fs.readdirSync(tagsDir)) {
      const res = await v2(`disk/app/manifests/${tag}`, { method: 'HEAD' });
      expect(res.status, `tag ${tag}`).toBe(200);
    }
  };

  /** Pulls of `before` made while the database's disk is full: one by expectBeforePullable, the rest by hand. */
  const PULLS_WHILE_FULL = 4;
  const tagPullCount = async (tag: string): Promise<number> => {
    const tags = await api<{ items: { name: string; pullCount: number }[] }>('GET', '/repositories/disk/images/app/tags');
    return tags.body.items.find((t) => t.name === tag)!.pullCount;
  };
  const pendingPullCounts = async (): Promise<number> => {
    const text = await (await fetch(`${berth.url}/metrics`, { headers: { authorization: AUTH } })).text();
    return Number(/^berth_pull_counts_pending (\d+)$/m.exec(text)![1]);
  };

  /** A push that fails: skopeo's error names the reason; the tag is not there. */
  const expectPushRefused = async (tag: string, reason: RegExp) => {
    const err = await skopeoCopy(`oci:${layout()}:${tag}`, `docker://${host()}/disk/app:${tag}`, { destCreds: ADMIN }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, `the push of ${tag} should fail`).toBeInstanceOf(CommandError);
    expect((err as CommandError).stderr).toMatch(reason);
    expect((await v2(`disk/app/manifests/${tag}`, { method: 'HEAD' })).status).toBe(404);
  };

  /** A whole blob sent in one POST: the registry's answer, as a client sees it. */
  const monolithicUpload = async (data: Buffer) => {
    const res = await v2(`disk/app/blobs/uploads/?digest=${sha256Digest(data)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: data,
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as OciErrorBody | null };
  };

  it('refuses a push onto a full registry disk with 507 and a clear message, keeps what was there, and takes the same push once space is back', async () => {
    const full = await writeImageLayout(layout(), { tag: 'full', layers: [{ randomBytes: 4 * MiB, seed: 'full' }] });
    const beforeManifest = Buffer.from(await (await v2('disk/app/manifests/before')).arrayBuffer());
    // Room for the upload sessions to start, not for the blobs: the disk fills mid-upload.
    await berth.fill(registryDir, MiB);

    const data = randomBytes(2 * MiB);
    const raw = await monolithicUpload(data);
    expect(raw.status).toBe(507);
    expect(raw.body?.errors[0]?.code).toBe('UNAVAILABLE');
    expect(raw.body?.errors[0]?.message).toMatch(/storage is full/);
    expect((await v2(`disk/app/blobs/${sha256Digest(data)}`, { method: 'HEAD' })).status).toBe(404);

    // skopeo (like docker) shows only the status line of a 5xx.
    await expectPushRefused('full', /507 Insufficient Storage/);
    // The failed uploads gave their bytes back (bar the sessions' small bookkeeping files).
    expect(await berth.freeBytes(registryDir)).toBeGreaterThan(MiB - 64 * 1024);

    // No room left at all: a manifest put (a new tag on stored content) is refused, and no tag appears.
    await berth.fill(registryDir);
    const put = await v2('disk/app/manifests/retagged', { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: beforeManifest });
    expect(put.status).toBe(507);
    expect(((await put.json()) as OciErrorBody).errors[0]?.message).toMatch(/storage is full/);
    expect((await v2('disk/app/manifests/retagged', { method: 'HEAD' })).status).toBe(404);

    await expectBeforePullable();
    await expectNothingHalfWritten();
    // The console's lists show nothing of the failed pushes.
    const tags = await api<{ items: { name: string }[] }>('GET', '/repositories/disk/images/app/tags');
    expect(tags.status).toBe(200);
    expect(tags.body.items.map((t) => t.name)).toEqual(['before']);

    await berth.unfill(registryDir);
    await skopeoCopy(`oci:${layout()}:full`, `docker://${host()}/disk/app:full`, { destCreds: ADMIN });
    const res = await v2('disk/app/manifests/full');
    expect(res.status).toBe(200);
    expect(sha256Digest(Buffer.from(await res.arrayBuffer()))).toBe(full.manifestDigest);
    expect(await blobDigest('disk/app', full.layers[0]!.digest)).toBe(full.layers[0]!.digest);
    expect((await monolithicUpload(data)).status).toBe(201);
    expect(await blobDigest('disk/app', sha256Digest(data))).toBe(sha256Digest(data));
    const retagged = await v2('disk/app/manifests/retagged', { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: beforeManifest });
    expect(retagged.status).toBe(201);
    await expectNothingHalfWritten();
  });

  it(
    onPostgres
      ? 'keeps the API writing while the data disk is full (the database is on PostgreSQL)'
      : 'answers 507 STORAGE_FULL to API writes while the data disk is full, keeps reading, and writes again once space is back',
    async () => {
      const pushed = await writeImageLayout(layout(), { tag: 'db-full', layers: [{ randomBytes: 200_000, seed: 'db-full' }] });
      // Every pull so far written, the count it starts from.
      await eventually(async () => expect(await pendingPullCounts()).toBe(0), 10_000);
      const pullsBefore = await tagPullCount('before');
      await berth.fill(dataDir);
      try {
        const created = await api<{ error: { code: string; message: string } }>('POST', '/repositories', { name: 'while-full' });
        if (onPostgres) {
          expect(created.status).toBe(201);
        } else {
          expect(created.status).toBe(507);
          expect(created.body.error.code).toBe('STORAGE_FULL');
          expect(created.body.error.message).toMatch(/disk is full/);
        }
        const list = await api<{ items: { name: string }[] }>('GET', '/repositories');
        expect(list.status).toBe(200);
        expect(list.body.items.some((r) => r.name === 'while-full')).toBe(onPostgres);
        const image = await api('GET', '/repositories/disk/images/app');
        expect(image.status).toBe(200);
        await expectBeforePullable();
        for (let i = 0; i < PULLS_WHILE_FULL - 1; i++) expect((await v2('disk/app/manifests/before')).status).toBe(200);
        // The registry's disk has room: a push goes through, and pulls back whole.
        await skopeoCopy(`oci:${layout()}:db-full`, `docker://${host()}/disk/app:db-full`, { destCreds: ADMIN });
        const pulled = await v2('disk/app/manifests/db-full');
        expect(pulled.status).toBe(200);
        expect(sha256Digest(Buffer.from(await pulled.arrayBuffer()))).toBe(pushed.manifestDigest);
      } finally {
        await berth.unfill(dataDir);
      }
      const again = await api('POST', '/repositories', { name: onPostgres ? 'after-full' : 'while-full' });
      expect(again.status).toBe(201);
      // What the index could not take while the disk was full, a sync brings in.
      expect((await api('POST', '/registries/default/sync')).status).toBe(200);
      const tags = await api<{ items: { name: string; digest: string }[] }>('GET', '/repositories/disk/images/app/tags');
      expect(tags.body.items.find((t) => t.name === 'db-full')?.digest).toBe(pushed.manifestDigest);
      // The pulls made while the counts could not be written are counted once they can.
      await eventually(async () => expect(await tagPullCount('before')).toBe(pullsBefore + PULLS_WHILE_FULL), 10_000);
    },
  );

  it('refuses a push onto a read-only registry disk with 507 and a clear message, keeps pulls working, and takes the same push once writable', async () => {
    const ro = await writeImageLayout(layout(), { tag: 'ro', layers: [{ randomBytes: MiB, seed: 'read-only' }] });
    const beforeManifest = Buffer.from(await (await v2('disk/app/manifests/before')).arrayBuffer());
    await berth.setReadOnly(registryDir, true);
    try {
      const raw = await monolithicUpload(randomBytes(64 * 1024));
      expect(raw.status).toBe(507);
      expect(raw.body?.errors[0]?.code).toBe('UNAVAILABLE');
      expect(raw.body?.errors[0]?.message).toMatch(/read-only/);
      await expectPushRefused('ro', /507 Insufficient Storage/);
      const put = await v2('disk/app/manifests/ro-retagged', { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: beforeManifest });
      expect(put.status).toBe(507);
      expect(((await put.json()) as OciErrorBody).errors[0]?.message).toMatch(/read-only/);
      expect((await v2('disk/app/manifests/ro-retagged', { method: 'HEAD' })).status).toBe(404);
      // A delete from the console is refused with the registry's reason, and the tag stays.
      const refused = await api<{ error: { code: string; message: string } }>('DELETE', '/repositories/disk/images/app/tags/full');
      expect(refused.status).toBe(502);
      expect(refused.body.error.code).toBe('UPSTREAM_REFUSED');
      expect(refused.body.error.message).toMatch(/read-only/);
      expect((await v2('disk/app/manifests/full', { method: 'HEAD' })).status).toBe(200);
      await expectBeforePullable();
      const tags = await api('GET', '/repositories/disk/images/app/tags');
      expect(tags.status).toBe(200);
    } finally {
      await berth.setReadOnly(registryDir, false);
    }
    await expectNothingHalfWritten();
    // Writable again: the delete, retried, goes through.
    expect((await api('DELETE', '/repositories/disk/images/app/tags/full')).status).toBe(200);
    expect((await v2('disk/app/manifests/full', { method: 'HEAD' })).status).toBe(404);
    await skopeoCopy(`oci:${layout()}:ro`, `docker://${host()}/disk/app:ro`, { destCreds: ADMIN });
    const res = await v2('disk/app/manifests/ro');
    expect(res.status).toBe(200);
    expect(sha256Digest(Buffer.from(await res.arrayBuffer()))).toBe(ro.manifestDigest);
  });

  it('refuses to start on a read-only data disk with a message that says so', async () => {
    const elsewhere = path.join(work, 'read-only-data');
    const env: Record<string, string> = { BERTH_DATA_DIR: elsewhere, BERTH_ADMIN_PASSWORD: ADMIN.password, BERTH_LOG_LEVEL: 'warn' };
    if (postgres) env.BERTH_DATABASE_URL = await createDatabase(postgres.url, 'berth_disk_read_only');
    const started = startBuiltBerthOnDisks(
      [
        { path: elsewhere, sizeBytes: 8 * MiB, readOnly: true },
        { path: path.join(elsewhere, 'registry'), sizeBytes: 8 * MiB, readOnly: true },
      ],
      env,
    );
    // SQLite's own word would be "unable to open database file"; the registry's, ENOENT.
    await expect(started).rejects.toThrow(
      onPostgres ? /the registry storage .*registry cannot be written: its disk is read-only/ : /cannot open the SQLite database .*berth\.db: its disk is read-only/,
    );
  });
});
