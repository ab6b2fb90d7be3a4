import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, DeleteArtifactsResponse, DeleteTagsResponse, ImageDeletionPolicy, Page, PolicyRunResponse, PolicyTestResponse, Tag } from '@berth/api';
import { MANIFEST_ACCEPT, MediaType, RegistryClient, sha256Digest } from '@berth/oci';
import { skopeoCopy, skopeoDelete, skopeoInspect, startFaultyProxy, writeImageLayout, writeIndexLayout, type ImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const admin = { username: 'admin', password: ADMIN_PASSWORD };
const enc = encodeURIComponent;
const DAY = 24 * 60 * 60 * 1000;

/** The error code of an API answer. */
const codeOf = (r: { body: unknown }) => (r.body as { error?: { code: string } }).error?.code;

/**
 * Image lifecycle through Berth with skopeo, on the registry this run tests against (the
 * embedded one, or CNCF distribution 2.8): locks on /v2 and in the API, safe tag and
 * artifact deletes, references that refuse, deletion policies whose test equals their run.
 */
describe('image lifecycle: locks, deletes and deletion policies', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let push: { username: string; password: string };
  let robot: { username: string; password: string };
  let direct: RegistryClient;

  const layout = async (name: string, text: string): Promise<ImageLayout> =>
    writeImageLayout(path.join(work, name), { tag: 'x', layers: [{ files: { 'f.txt': `${text}\n` } }] });
  const pushTo = (l: ImageLayout, dirName: string, ref: string, creds = push) =>
    skopeoCopy(`oci:${path.join(work, dirName)}:x`, `docker://${berth.host}/team/${ref}`, { destCreds: creds });
  const tags = async (image: string) =>
    Object.fromEntries((await berth.api<Page<Tag>>('GET', `/repositories/team/images/${enc(image)}/tags?limit=100`)).body.items.map((t) => [t.name, t.digest]));
  const artifacts = async (image: string) => (await berth.api<Page<Artifact>>('GET', `/repositories/team/images/${enc(image)}/artifacts?limit=100`)).body.items;
  /** What the registry itself serves for a reference (not through Berth). */
  const upstreamDigest = async (image: string, ref: string) => {
    const res = await direct.request(`/v2/team/${image}/manifests/${ref}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
    return res.status === 200 ? res.headers.get('docker-content-digest') : null;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lifecycle-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    push = { username: 'team', password: await repositoryWithUser(berth, 'team', 'ci', 'push') };
    robot = { username: 'team', password: await repositoryWithUser(berth, 'team', 'cleaner', 'delete') };
    direct = new RegistryClient(registry.url);
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('keeps a digest pullable when one of its two tags is deleted and the other is locked', async () => {
    const img = await layout('two-tags', 'two tags, one digest');
    for (const tag of ['v1', 'latest']) await pushTo(img, 'two-tags', `app:${tag}`);
    expect((await berth.api('PATCH', '/repositories/team/images/app/tags/v1', { locked: true })).body).toMatchObject({ name: 'v1', locked: true });

    const deleted = await berth.api('DELETE', '/repositories/team/images/app/tags/latest');
    expect([deleted.status, deleted.body]).toEqual([200, { tag: 'latest', outcome: 'deleted' }]);
    expect(await tags('app')).toEqual({ v1: img.manifestDigest });
    expect(await upstreamDigest('app', 'latest')).toBeNull();
    expect(await upstreamDigest('app', 'v1')).toBe(img.manifestDigest);
    expect(JSON.parse(await skopeoInspect(`docker://${berth.host}/team/app:v1`, { creds: push, raw: true }))).toEqual(JSON.parse(img.manifestJson));

    const locked = await berth.api('DELETE', '/repositories/team/images/app/tags/v1');
    expect([locked.status, codeOf(locked)]).toEqual([409, 'LOCKED']);
    const byDigest = await berth.api('DELETE', `/repositories/team/images/app/artifacts/${img.manifestDigest}`);
    expect([byDigest.status, codeOf(byDigest), (byDigest.body as { error: { message: string } }).error.message]).toEqual([409, 'LOCKED', 'tag v1 of team/app is locked']);
    await expect(skopeoDelete(`docker://${berth.host}/team/app@${img.manifestDigest}`, { creds: robot })).rejects.toThrow(/locked/);

    // The locked tag cannot move to another digest; re-pushing the digest it has is fine.
    const other = await layout('two-tags-other', 'another image');
    await expect(pushTo(other, 'two-tags-other', 'app:v1')).rejects.toThrow(/tag v1 of team\/app is locked/);
    await pushTo(img, 'two-tags', 'app:v1');
    expect(await upstreamDigest('app', 'v1')).toBe(img.manifestDigest);
    expect(await tags('app')).toEqual({ v1: img.manifestDigest });
  });

  it('refuses pushes and deletes of a locked image everywhere, and allows them again once unlocked', async () => {
    const img = await layout('locked-image', 'a locked image');
    await pushTo(img, 'locked-image', 'frozen:v1');
    expect((await berth.api('PATCH', '/repositories/team/images/frozen', { locked: true })).body).toMatchObject({ locked: true });

    await expect(pushTo(img, 'locked-image', 'frozen:v2')).rejects.toThrow(/image team\/frozen is locked/);
    await expect(skopeoDelete(`docker://${berth.host}/team/frozen:v1`, { creds: robot })).rejects.toThrow(/locked/);
    for (const p of ['/repositories/team/images/frozen', '/repositories/team/images/frozen/tags/v1', `/repositories/team/images/frozen/artifacts/${img.manifestDigest}`]) {
      const res = await berth.api('DELETE', p);
      expect([p, res.status, codeOf(res)]).toEqual([p, 409, 'LOCKED']);
    }
    // A blob DELETE never gets through: it would take a layer from under the locked image.
    const token = Buffer.from(`team:${robot.password}`).toString('base64');
    const blob = await fetch(`${berth.url}/v2/team/frozen/blobs/${img.layerDigests[0]}`, { method: 'DELETE', headers: { authorization: `Basic ${token}` } });
    expect([blob.status, ((await blob.json()) as { errors: { code: string }[] }).errors[0]!.code]).toEqual([405, 'UNSUPPORTED']);
    expect(await tags('frozen')).toEqual({ v1: img.manifestDigest });
    expect(await upstreamDigest('frozen', 'v1')).toBe(img.manifestDigest);
    expect((await direct.request(`/v2/team/frozen/blobs/${img.layerDigests[0]}`, { method: 'HEAD' })).status).toBe(200);

    expect((await berth.api('PATCH', '/repositories/team/images/frozen', { locked: false })).body).toMatchObject({ locked: false });
    await pushTo(img, 'locked-image', 'frozen:v2');
    expect(await tags('frozen')).toEqual({ v1: img.manifestDigest, v2: img.manifestDigest });
  });

  it('lets a repository user with delete permission delete through /v2, and not one with push', async () => {
    const img = await layout('robot', 'cleaned by a robot');
    for (const tag of ['a', 'b']) await pushTo(img, 'robot', `robot:${tag}`);
    await expect(skopeoDelete(`docker://${berth.host}/team/robot:a`, { creds: push })).rejects.toThrow();
    expect(await tags('robot')).toEqual({ a: img.manifestDigest, b: img.manifestDigest });
    // skopeo deletes by digest (every tag on it goes), as the registry does.
    await skopeoDelete(`docker://${berth.host}/team/robot:a`, { creds: robot });
    expect(await tags('robot')).toEqual({});
    expect(await upstreamDigest('robot', img.manifestDigest)).toBeNull();
  });

  it('deletes one tag through /v2 as the console does: that tag only', async () => {
    const img = await layout('v2-tag', 'one tag goes over v2');
    for (const tag of ['keep', 'drop']) await pushTo(img, 'v2-tag', `v2tag:${tag}`);
    const token = Buffer.from(`team:${robot.password}`).toString('base64');
    const res = await fetch(`${berth.url}/v2/team/v2tag/manifests/drop`, { method: 'DELETE', headers: { authorization: `Basic ${token}` } });
    expect(res.status).toBe(202);
    expect(await tags('v2tag')).toEqual({ keep: img.manifestDigest });
    expect(await upstreamDigest('v2tag', 'keep')).toBe(img.manifestDigest);
    expect(await upstreamDigest('v2tag', 'drop')).toBeNull();
  });

  it('keeps the untagged children of a multi-arch index while the index stays, and deletes them with it', async () => {
    const dir = path.join(work, 'multi');
    const index = await writeIndexLayout(dir, {
      tag: 'x',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'arch.txt': 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'arch.txt': 'arm64' } }] },
      ],
    });
    await skopeoCopy(`oci:${dir}:x`, `docker://${berth.host}/team/multi:1.0`, { destCreds: push, all: true });
    const children = index.children.map((c) => c.manifestDigest);

    expect((await berth.api('PUT', '/repositories/team/images/multi/deletion-policy', { enabled: true, untagged: true })).status).toBe(200);
    const test = (await berth.api<PolicyTestResponse>('POST', '/repositories/team/images/multi/deletion-policy/test')).body;
    expect(test.delete).toEqual([]);
    expect(test.keep.filter((v) => children.includes(v.digest)).map((v) => [v.digest, v.reason, v.detail])).toEqual(
      expect.arrayContaining(children.map((d) => [d, 'referenced-by', index.indexDigest])),
    );
    const run = (await berth.api<PolicyRunResponse>('POST', '/repositories/team/images/multi/deletion-policy/run')).body;
    expect(run.deleted).toEqual([]);
    for (const d of children) expect(await upstreamDigest('multi', d)).toBe(d);

    const child = await berth.api('DELETE', `/repositories/team/images/multi/artifacts/${children[0]}`);
    expect([child.status, codeOf(child), (child.body as { error: { details: { referrer: string } } }).error.details.referrer]).toEqual([409, 'REFERENCED', index.indexDigest]);

    const whole = await berth.api<DeleteArtifactsResponse>('DELETE', `/repositories/team/images/multi/artifacts/${index.indexDigest}`);
    expect(whole.status).toBe(200);
    expect(whole.body.results.map((r) => [r.digest, r.outcome])).toEqual([[index.indexDigest, 'deleted'], ...[...children].sort().map((d) => [d, 'deleted'])]);
    for (const d of [index.indexDigest, ...children]) expect(await upstreamDigest('multi', d)).toBeNull();
    expect(await artifacts('multi')).toEqual([]);
  });

  it('keeps an image that a signature refers to, and names the signature when asked to delete it first', async () => {
    const img = await layout('signed', 'signed image');
    await pushTo(img, 'signed', 'signed:v1');
    // A cosign-style signature: an OCI artifact whose subject is the image, pushed by digest through Berth.
    const client = new RegistryClient(berth.url, admin);
    const config = await client.pushBlob('team/signed', new TextEncoder().encode('{}'));
    const payload = new TextEncoder().encode('{"critical":{"image":{"docker-manifest-digest":"' + img.manifestDigest + '"}}}');
    const layer = await client.pushBlob('team/signed', payload);
    const signature = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
        config: { mediaType: MediaType.OciEmpty, digest: config, size: 2 },
        layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: layer, size: payload.byteLength }],
        subject: { mediaType: MediaType.OciManifest, digest: img.manifestDigest, size: img.manifestSize },
      }),
    );
    const sigDigest = sha256Digest(signature);
    expect(await client.putManifest('team/signed', sigDigest, signature, MediaType.OciManifest)).toBe(sigDigest);

    const refused = await berth.api('DELETE', `/repositories/team/images/signed/artifacts/${img.manifestDigest}`);
    expect([refused.status, codeOf(refused)]).toEqual([409, 'REFERENCED']);
    expect((refused.body as { error: { message: string; details: { referrer: string } } }).error).toMatchObject({ details: { referrer: sigDigest, kind: 'subject' } });
    await expect(skopeoDelete(`docker://${berth.host}/team/signed@${img.manifestDigest}`, { creds: robot })).rejects.toThrow(new RegExp(sigDigest.slice(7, 19)));

    // The untagged rule keeps the signature while its image stays.
    await berth.api('PUT', '/repositories/team/images/signed/deletion-policy', { enabled: true, untagged: true });
    const test = (await berth.api<PolicyTestResponse>('POST', '/repositories/team/images/signed/deletion-policy/test')).body;
    expect(test.delete).toEqual([]);
    expect(test.keep.find((v) => v.digest === sigDigest)).toMatchObject({ reason: 'referrer-of-kept', detail: img.manifestDigest });

    expect((await berth.api('DELETE', `/repositories/team/images/signed/artifacts/${sigDigest}`)).status).toBe(200);
    expect((await berth.api('DELETE', `/repositories/team/images/signed/artifacts/${img.manifestDigest}`)).status).toBe(200);
    expect(await upstreamDigest('signed', img.manifestDigest)).toBeNull();
  });

  it('runs a deletion policy that deletes exactly what its test listed, at the N-day boundary, and is audited', async () => {
    const names = ['old', 'locked', 'keep-1', 'edge', 'new'];
    const layouts: Record<string, ImageLayout> = {};
    for (const n of names) {
      layouts[n] = await layout(`policy-${n}`, `policy ${n}`);
      await pushTo(layouts[n], `policy-${n}`, `policy:${n}`);
    }
    // First pushes in the past: 30 days and a minute (goes), 30 days less a minute (stays).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits rows the API never writes (first-push times)
    const db = (berth.store as unknown as { db: any }).db;
    const pushedAt = async (n: string, agoMs: number) =>
      db.updateTable('artifacts').set({ pushed_at: new Date(Date.now() - agoMs).toISOString() }).where('digest', '=', layouts[n]!.manifestDigest).execute();
    for (const n of ['old', 'locked', 'keep-1']) await pushedAt(n, 30 * DAY + 60_000);
    await pushedAt('edge', 30 * DAY - 60_000);
    await berth.api('PATCH', '/repositories/team/images/policy/tags/locked', { locked: true });

    const bad = await berth.api('PUT', '/repositories/team/images/policy/deletion-policy', { enabled: true, untagged: true, olderThanDays: 0 });
    expect([bad.status, codeOf(bad), (bad.body as { error: { details: { path: string; message: string }[] } }).error.details]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ path: 'olderThanDays', message: 'between 1 and 3650 days' }],
    ]);
    // The repository default, inherited by the image.
    const put = await berth.api('PUT', '/repositories/team/deletion-policy', { enabled: true, untagged: true, olderThanDays: 30, keepTagPatterns: ['keep-*'] });
    expect(put.status).toBe(200);
    const inherited = (await berth.api<ImageDeletionPolicy>('GET', '/repositories/team/images/policy/deletion-policy')).body;
    expect(inherited).toMatchObject({ source: 'repository', policy: { olderThanDays: 30, keepTagPatterns: ['keep-*'] } });

    const test = (await berth.api<PolicyTestResponse>('POST', '/repositories/team/images/policy/deletion-policy/test')).body;
    const digestOf = (n: string) => layouts[n]!.manifestDigest;
    expect(test.delete).toEqual([{ tag: 'old', digest: digestOf('old'), reason: 'older-than' }]);
    expect(Object.fromEntries(test.keep.map((v) => [v.tag, v.reason]))).toEqual({ locked: 'tag-locked', 'keep-1': 'keep-pattern', edge: 'no-rule-matched', new: 'no-rule-matched' });
    expect(test.bytes).toBeGreaterThan(0);

    // A run asked to match another list (the image changed since that test) deletes nothing.
    const stale = await berth.api('POST', '/repositories/team/images/policy/deletion-policy/run', { expect: 'f'.repeat(32) });
    expect([stale.status, codeOf(stale)]).toEqual([409, 'POLICY_CHANGED']);
    expect(Object.keys(await tags('policy'))).toHaveLength(5);

    const run = (await berth.api<PolicyRunResponse>('POST', '/repositories/team/images/policy/deletion-policy/run', { expect: test.deleteSet })).body;
    expect(run.deleted).toEqual(test.delete);
    expect(run.refused).toEqual([]);
    expect(run.bytes).toBe(test.bytes);
    expect(Object.keys(await tags('policy')).sort()).toEqual(['edge', 'keep-1', 'locked', 'new']);
    expect(await upstreamDigest('policy', digestOf('old'))).toBeNull();
    for (const n of ['locked', 'keep-1', 'edge', 'new']) expect(await upstreamDigest('policy', n)).toBe(digestOf(n));

    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'deletion-policy.run').where('target', '=', 'team/policy').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].after)).toMatchObject({ bytes: run.bytes, deleted: run.deleted });

    // Disabled, it does not run on request.
    await berth.api('PUT', '/repositories/team/images/policy/deletion-policy', { enabled: false, untagged: true });
    const disabled = await berth.api('POST', '/repositories/team/images/policy/deletion-policy/run');
    expect([disabled.status, codeOf(disabled)]).toEqual([409, 'POLICY_DISABLED']);
  });
});

/** A registry that refuses one tag: DELETE and PUT of `/manifests/<tag>` answer 500 while `refusing`. */
async function refusingProxy(upstream: string, tag: string) {
  const state = { refusing: false };
  const proxy = await startFaultyProxy(upstream, (method, p) => state.refusing && (method === 'DELETE' || method === 'PUT') && p.endsWith(`/manifests/${tag}`));
  return Object.assign(state, proxy);
}

describe('bulk tag delete', () => {
  let registry: Upstream;
  let proxy: Awaited<ReturnType<typeof refusingProxy>>;
  let berth: RunningBerth;
  let work: string;
  const all = Array.from({ length: 51 }, (_, i) => `t${i}`);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bulk-'));
    registry = await startUpstream();
    proxy = await refusingProxy(registry.url, 't13');
    berth = await startBerth(proxy.url);
    const secret = await repositoryWithUser(berth, 'team', 'ci', 'push');
    const img = await writeImageLayout(path.join(work, 'img'), { tag: 'x', layers: [{ files: { 'bulk.txt': 'fifty-one tags\n' } }] });
    await skopeoCopy(`oci:${path.join(work, 'img')}:x`, `docker://${berth.host}/team/bulk:t0`, { destCreds: { username: 'team', password: secret } });
    const client = new RegistryClient(berth.url, { username: 'team', password: secret });
    for (const tag of all.slice(1)) await client.putManifest('team/bulk', tag, new TextEncoder().encode(img.manifestJson), MediaType.OciManifest);
    proxy.refusing = true;
  });
  afterAll(async () => {
    await berth?.stop();
    await proxy?.close();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const tagStatuses = async () =>
    Object.fromEntries((await berth.api<Page<Tag>>('GET', '/repositories/team/images/bulk/tags?limit=100')).body.items.map((t) => [t.name, t.status]));

  it('refuses 51 tags before deleting anything', async () => {
    const res = await berth.api('POST', '/repositories/team/images/bulk/tags:delete', { tags: all });
    expect([res.status, codeOf(res)]).toEqual([400, 'VALIDATION_FAILED']);
    expect((res.body as { error: { details: { message: string }[] } }).error.details[0]!.message).toBe('at most 50 tags can be deleted at once; nothing was deleted');
    expect(Object.keys(await tagStatuses())).toHaveLength(51);
  });

  it('deletes 50 where the registry refuses one: the others go, the refused one is Inactive, the 51st stays', async () => {
    const res = await berth.api<DeleteTagsResponse>('POST', '/repositories/team/images/bulk/tags:delete', { tags: all.slice(0, 50) });
    expect(res.status).toBe(200);
    const outcomes = Object.fromEntries(res.body.results.map((r) => [r.tag, r.outcome]));
    expect(Object.entries(outcomes).filter(([, o]) => o !== 'deleted')).toEqual([['t13', 'refused']]);
    expect(await tagStatuses()).toEqual({ t13: 'Inactive', t50: 'Active' });
    const client = new RegistryClient(registry.url);
    expect((await client.tags('team/bulk')).sort()).toEqual(['t13', 't50']);
    const [a, b] = await Promise.all(['t13', 't50'].map((t) => client.manifest('team/bulk', t)));
    expect(a!.digest).toBe(b!.digest);
  });

  it('lets only delete be retried on the Inactive tag, and the retry goes once the registry allows it', async () => {
    const lock = await berth.api('PATCH', '/repositories/team/images/bulk/tags/t13', { locked: true });
    expect([lock.status, codeOf(lock), (lock.body as { error: { message: string } }).error.message]).toEqual([
      409,
      'BUSY',
      'tag t13 of team/bulk is Inactive: a delete of it failed, and only delete may be retried',
    ]);
    const again = await berth.api('DELETE', '/repositories/team/images/bulk/tags/t13');
    expect([again.status, codeOf(again)]).toEqual([502, 'UPSTREAM_REFUSED']);
    proxy.refusing = false;
    expect((await berth.api('DELETE', '/repositories/team/images/bulk/tags/t13')).body).toEqual({ tag: 't13', outcome: 'deleted' });
    expect(await tagStatuses()).toEqual({ t50: 'Active' });
  });
});
