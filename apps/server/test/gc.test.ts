import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcReport } from '@berth/api';
import { MANIFEST_ACCEPT, sha256Digest } from '@berth/oci';
import { runCommand, skopeoCopy, skopeoInspect, startDistribution, writeImageLayout, type Distribution } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const admin = { username: 'admin', password: ADMIN_PASSWORD };
const basic = (c: { username: string; password: string }) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

/** The blob file the embedded registry keeps for a digest under Berth's data dir. */
const blobFile = (dataDir: string, digest: string) => {
  const [alg, hex] = digest.split(':') as [string, string];
  return path.join(dataDir, 'registry', 'blobs', alg, hex.slice(0, 2), hex);
};

describe('garbage collection through the API (embedded registry)', () => {
  let berth: RunningBerth;
  let work: string;
  let pusher: { username: string; password: string };
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gc-'));
    // No upstream: Berth runs its embedded registry. No grace period, so what was just deleted is garbage now.
    berth = await startBerth(null, { env: { BERTH_GC_GRACE_MINUTES: '0' } });
    pusher = { username: 'team', password: await repositoryWithUser(berth, 'team', 'ci', 'push') };
  });
  afterAll(async () => {
    await berth?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const gc = (body: unknown, auth?: string) => berth.api<GcReport & { error: { code: string } }>('POST', '/registries/default/gc', body, auth);
  const push = (layout: string, tag: string, ref = tag) => skopeoCopy(`oci:${layout}:${tag}`, `docker://${berth.host}/team/app:${ref}`, { destCreds: pusher });
  const deleteManifest = async (digest: string) =>
    (await fetch(`${berth.url}/v2/team/app/manifests/${digest}`, { method: 'DELETE', headers: { authorization: basic(admin) } })).status;
  const manifestStatus = async (reference: string) =>
    (await fetch(`${berth.url}/v2/team/app/manifests/${reference}`, { method: 'HEAD', headers: { authorization: basic(admin), accept: MANIFEST_ACCEPT } })).status;

  it('runs on the embedded registry', async () => {
    const registries = await berth.api<{ items: { name: string; engine: string; capabilities: string[] }[] }>('GET', '/registries');
    expect(registries.body.items).toMatchObject([{ name: 'default', engine: 'embedded' }]);
    expect(registries.body.items[0]!.capabilities).toContain('gc');
  });

  it('reports on a dry run, frees the same on a real run, and keeps what the remaining tag needs', async () => {
    const layout = path.join(work, 'two-tags');
    const keep = await writeImageLayout(layout, { tag: 'keep', layers: [{ randomBytes: 100_000, seed: 'keep' }] });
    const drop = await writeImageLayout(layout, { tag: 'drop', layers: [{ randomBytes: 200_000, seed: 'drop' }] });
    await push(layout, 'keep');
    await push(layout, 'drop');
    expect(await deleteManifest(drop.manifestDigest)).toBe(202);
    const garbage = [drop.manifestDigest, drop.configDigest, ...drop.layerDigests];

    // The default is a dry run: it reports the deleted image's manifest, config and layer
    // (and the repository's links to the config and layer), and deletes nothing.
    const dry = await gc({});
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, manifests: 0, blobs: 3, bytes: drop.totalSize, uploads: 0, uploadBytes: 0, links: 2 });
    for (const d of garbage) expect(fs.existsSync(blobFile(berth.dataDir, d))).toBe(true);

    const real = await gc({ dryRun: false });
    expect(real.status).toBe(200);
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);
    for (const d of garbage) expect(fs.existsSync(blobFile(berth.dataDir, d))).toBe(false);
    expect((await gc({ dryRun: true })).body).toMatchObject({ manifests: 0, blobs: 0, bytes: 0, links: 0 });
    // The registry keeps the last collection that deleted (the dry run after it is not kept).
    const kept = await berth.api<{ lastGc: unknown }>('GET', '/registries/default');
    expect(kept.body.lastGc).toMatchObject({ by: 'admin', report: real.body });

    // What the remaining tag needs is all there: a client pulls it whole.
    for (const d of [keep.manifestDigest, keep.configDigest, ...keep.layerDigests]) expect(fs.existsSync(blobFile(berth.dataDir, d))).toBe(true);
    await skopeoCopy(`docker://${berth.host}/team/app:keep`, `oci:${path.join(work, 'pulled')}:keep`, { srcCreds: pusher });
    const raw = await skopeoInspect(`docker://${berth.host}/team/app:keep`, { raw: true, creds: pusher });
    expect(raw).toBe(keep.manifestJson);
  });

  it('keeps untagged artifacts by default and sweeps them with untagged: delete', async () => {
    const layout = path.join(work, 'moving');
    const old = await writeImageLayout(layout, { tag: 'old', layers: [{ randomBytes: 50_000, seed: 'old' }] });
    const current = await writeImageLayout(layout, { tag: 'current', layers: [{ randomBytes: 60_000, seed: 'current' }] });
    // Moving the tag leaves the old artifact untagged.
    await push(layout, 'old', 'moving');
    await push(layout, 'current', 'moving');

    expect((await gc({ dryRun: false })).body).toMatchObject({ manifests: 0, blobs: 0 });
    expect(await manifestStatus(old.manifestDigest)).toBe(200);

    const dry = await gc({ dryRun: true, untagged: 'delete' });
    expect(dry.body).toMatchObject({ manifests: 1, blobs: 3, bytes: old.totalSize });
    const real = await gc({ dryRun: false, untagged: 'delete' });
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);
    expect(await manifestStatus(old.manifestDigest)).toBe(404);
    // The console stops listing the swept artifact as well.
    const listed = await berth.api<{ items: { digest: string }[] }>('GET', '/repositories/team/images/app/artifacts?limit=100');
    expect(listed.body.items.map((a) => a.digest)).toContain(current.manifestDigest);
    expect(listed.body.items.map((a) => a.digest)).not.toContain(old.manifestDigest);
    expect(await manifestStatus('moving')).toBe(200);
    expect(sha256Digest(await skopeoInspect(`docker://${berth.host}/team/app:moving`, { raw: true, creds: pusher }))).toBe(current.manifestDigest);
  });

  it('is for admins only: a repository user is not a console account (401), a viewer is forbidden (403)', async () => {
    const layout = path.join(work, 'refused');
    const gone = await writeImageLayout(layout, { tag: 'gone', layers: [{ randomBytes: 30_000, seed: 'gone' }] });
    await push(layout, 'gone');
    expect(await deleteManifest(gone.manifestDigest)).toBe(202);
    const viewer = { username: 'gc-viewer', password: 'viewer-password-1' };
    expect((await berth.api('POST', '/accounts', { ...viewer, role: 'viewer' })).status).toBe(201);
    const byPusher = await gc({ dryRun: false }, basic(pusher));
    expect(byPusher.status).toBe(401);
    expect(byPusher.body.error.code).toBe('INVALID_CREDENTIALS');
    const byViewer = await gc({ dryRun: false }, basic(viewer));
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error.code).toBe('FORBIDDEN');
    expect((await gc({ dryRun: 'yes' })).status).toBe(400);
    expect((await gc({ dryRun: true, extra: 1 })).status).toBe(400);
    expect((await berth.api('POST', '/registries/elsewhere/gc', { dryRun: false })).status).toBe(404);
    // None of the refused calls collected anything.
    expect((await gc({ dryRun: true })).body).toMatchObject({ blobs: 3, bytes: gone.totalSize });
    for (const d of [gone.manifestDigest, gone.configDigest, ...gone.layerDigests]) expect(fs.existsSync(blobFile(berth.dataDir, d))).toBe(true);
  });
});

describe('garbage collection with another registry behind Berth', () => {
  let upstream: Upstream;
  let berth: RunningBerth;
  beforeAll(async () => {
    upstream = await startUpstream();
    berth = await startBerth(upstream.url);
  });
  afterAll(async () => {
    await berth?.stop();
    await upstream?.stop();
  });

  it('answers 409 REGISTRY_UNSUPPORTED', async () => {
    for (const body of [{ dryRun: true }, { dryRun: false }]) {
      const res = await berth.api<{ error: { code: string } }>('POST', '/registries/default/gc', body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('REGISTRY_UNSUPPORTED');
    }
  });
});

/**
 * Storage reclaimed on CNCF distribution after deletes through Berth, with the script Berth
 * ships (scripts/distribution-gc.sh, the registry stopped), and what it refuses.
 */
describe('garbage collection of distribution with scripts/distribution-gc.sh', () => {
  let work: string;
  let storageDir: string;
  let registry: Distribution;
  let berth: RunningBerth;
  let pusher: { username: string; password: string };
  const script = path.resolve(import.meta.dirname, '../../../scripts/distribution-gc.sh');
  const blobData = (digest: string) => path.join(storageDir, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data');

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dist-gc-'));
    storageDir = path.join(work, 'storage');
    registry = await startDistribution({ storageDir });
    berth = await startBerth(registry.url);
    pusher = { username: 'team', password: await repositoryWithUser(berth, 'team', 'ci', 'push') };
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('frees the blobs of an image deleted through Berth and keeps every other image whole', async () => {
    const gone = await writeImageLayout(path.join(work, 'gone'), { tag: 'g', layers: [{ randomBytes: 200_000, seed: 'dist-gc-gone' }] });
    const kept = await writeImageLayout(path.join(work, 'kept'), { tag: 'k', layers: [{ randomBytes: 200_000, seed: 'dist-gc-kept' }] });
    await skopeoCopy(`oci:${path.join(work, 'gone')}:g`, `docker://${berth.host}/team/gone:g`, { destCreds: pusher });
    await skopeoCopy(`oci:${path.join(work, 'kept')}:k`, `docker://${berth.host}/team/kept:k`, { destCreds: pusher });
    expect((await berth.api('DELETE', '/repositories/team/images/gone')).status).toBe(200);
    // Deleted in the registry, but its blobs are still on disk.
    for (const d of gone.layerDigests) expect(fs.existsSync(blobData(d))).toBe(true);

    const config = path.join(work, 'config.yml');
    fs.copyFileSync(registry.configPath, config);
    await expect(runCommand('bash', [script, config, '--delete-untagged'])).rejects.toThrow(/refusing --delete-untagged/);
    await registry.stop();
    const dry = await runCommand('bash', [script, config, '--dry-run']);
    expect(dry.stdout).toMatch(/eligible for deletion/);
    for (const d of gone.layerDigests) expect(fs.existsSync(blobData(d))).toBe(true);
    await runCommand('bash', [script, config]);
    for (const d of gone.layerDigests) expect(fs.existsSync(blobData(d))).toBe(false);
    for (const d of [kept.configDigest, ...kept.layerDigests]) expect(fs.existsSync(blobData(d))).toBe(true);

    registry = await startDistribution({ storageDir });
    berth = await berth.restart({ upstreamUrl: registry.url });
    const pulled = path.join(work, 'pulled');
    await skopeoCopy(`docker://${berth.host}/team/kept:k`, `oci:${pulled}:k`, { srcCreds: pusher });
    expect(await skopeoInspect(`docker://${berth.host}/team/kept:k`, { creds: pusher, raw: true })).toBe(kept.manifestJson);
  });
});
