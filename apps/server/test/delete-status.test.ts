import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Image, Page, Tag } from '@berth/api';
import { skopeoCopy, skopeoDelete, skopeoInspect, startDistribution, writeImageLayout, type Distribution, type ImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, type RunningBerth } from './harness.ts';

/**
 * A delete the registry refuses: CNCF distribution started without `storage.delete.enabled`
 * answers 405. Berth keeps the artifact and its tags, Inactive, until a retried delete
 * succeeds — here after distribution is restarted on the same storage with deletes on.
 * This file chooses its registry itself (distribution, whatever BERTH_TEST_UPSTREAM says).
 */
describe('status of an artifact whose delete the registry refuses', () => {
  let work: string;
  let storageDir: string;
  let registry: Distribution;
  let berth: RunningBerth;
  let push: { username: string; password: string };
  let kept: ImageLayout;
  let other: ImageLayout;
  const admin = { username: 'admin', password: ADMIN_PASSWORD };
  const adminBasic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

  const artifacts = async () =>
    Object.fromEntries(
      (await berth.api<Page<Artifact>>('GET', '/repositories/team/images/app/artifacts')).body.items.map((a) => [a.digest, [a.status, [...a.tags].sort()]]),
    );
  const tags = async () => Object.fromEntries((await berth.api<Page<Tag>>('GET', '/repositories/team/images/app/tags')).body.items.map((t) => [t.name, t.status]));
  const image = async () => (await berth.api<Image>('GET', '/repositories/team/images/app')).body;
  /** The artifacts list's non-Active tags, by artifact. */
  const tagStatus = async () =>
    Object.fromEntries((await berth.api<Page<Artifact>>('GET', '/repositories/team/images/app/artifacts')).body.items.map((a) => [a.digest, a.tagStatus]));
  const v2Delete = (base: string, reference: string, authorization?: string) =>
    fetch(`${base}/v2/team/app/manifests/${reference}`, { method: 'DELETE', headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-delete-status-'));
    storageDir = path.join(work, 'registry');
    registry = await startDistribution({ storageDir, env: { REGISTRY_STORAGE_DELETE_ENABLED: 'false' } });
    berth = await startBerth(registry.url);
    push = { username: 'team', password: await repositoryWithUser(berth, 'team', 'ci', 'push') };
    kept = await writeImageLayout(path.join(work, 'kept'), {
      tag: 'a',
      layers: [{ files: { 'kept.txt': 'a delete of this fails\n' } }, { randomBytes: 100_000, seed: 'delete-status' }],
    });
    other = await writeImageLayout(path.join(work, 'other'), { tag: 'c', layers: [{ files: { 'other.txt': 'never deleted\n' } }] });
    for (const tag of ['a', 'b']) await skopeoCopy(`oci:${path.join(work, 'kept')}:a`, `docker://${berth.host}/team/app:${tag}`, { destCreds: push });
    await skopeoCopy(`oci:${path.join(work, 'other')}:c`, `docker://${berth.host}/team/app:c`, { destCreds: push });
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists pushed artifacts and tags Active', async () => {
    expect(await artifacts()).toEqual({ [kept.manifestDigest]: ['Active', ['a', 'b']], [other.manifestDigest]: ['Active', ['c']] });
    expect(await tags()).toEqual({ a: 'Active', b: 'Active', c: 'Active' });
    expect(await tagStatus()).toEqual({ [kept.manifestDigest]: {}, [other.manifestDigest]: {} });
  });

  it('marks a tag whose delete the registry refuses Inactive, and answers with the registry’s status and code', async () => {
    const direct = await v2Delete(registry.url, 'a');
    const directCode = ((await direct.json()) as { errors: { code: string }[] }).errors[0]?.code;
    expect(direct.status).toBeGreaterThanOrEqual(400);
    const through = await v2Delete(berth.url, 'a', adminBasic);
    expect([through.status, ((await through.json()) as { errors: { code: string }[] }).errors[0]?.code]).toEqual([direct.status, directCode]);
    expect(await tags()).toEqual({ a: 'Inactive', b: 'Active', c: 'Active' });
    expect((await artifacts())[kept.manifestDigest]).toEqual(['Active', ['a', 'b']]);
    expect((await tagStatus())[kept.manifestDigest]).toEqual({ a: 'Inactive' });
  });

  it('marks the artifact and its tags Inactive when the registry answers 405; still listed, counted and pullable whole', async () => {
    const refused = await v2Delete(berth.url, kept.manifestDigest, adminBasic);
    expect(refused.status).toBe(405);
    expect(((await refused.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('UNSUPPORTED');
    // A real client sees the failure too, and it changes nothing more.
    await expect(skopeoDelete(`docker://${berth.host}/team/app@${kept.manifestDigest}`, { creds: admin })).rejects.toThrow();

    expect(await artifacts()).toEqual({ [kept.manifestDigest]: ['Inactive', ['a', 'b']], [other.manifestDigest]: ['Active', ['c']] });
    expect(await tags()).toEqual({ a: 'Inactive', b: 'Inactive', c: 'Active' });
    expect(await image()).toMatchObject({ artifactCount: 2, tagCount: 3 });

    // The content is untouched: every blob is pulled (skopeo checks each digest) and the manifest is the one pushed.
    const pulled = path.join(work, 'pulled');
    await skopeoCopy(`docker://${berth.host}/team/app:b`, `oci:${pulled}:b`, { srcCreds: push });
    const index = JSON.parse(fs.readFileSync(path.join(pulled, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests.map((m) => m.digest)).toEqual([kept.manifestDigest]);
    const layers = (JSON.parse(fs.readFileSync(path.join(pulled, 'blobs', 'sha256', kept.manifestDigest.slice(7)), 'utf8')) as { layers: unknown[] }).layers;
    expect(layers).toHaveLength(2);
  });

  it('keeps the artifact Inactive through reconciliation, until a push made around Berth tags it again', async () => {
    expect((await berth.api('POST', '/registries/default/sync')).status).toBe(200);
    expect(await artifacts()).toEqual({ [kept.manifestDigest]: ['Inactive', ['a', 'b']], [other.manifestDigest]: ['Active', ['c']] });
    expect(await tags()).toEqual({ a: 'Inactive', b: 'Inactive', c: 'Active' });

    await skopeoCopy(`oci:${path.join(work, 'kept')}:a`, `docker://${registry.host}/team/app:d`);
    expect((await berth.api('POST', '/registries/default/sync')).status).toBe(200);
    expect(await artifacts()).toEqual({ [kept.manifestDigest]: ['Active', ['a', 'b', 'd']], [other.manifestDigest]: ['Active', ['c']] });
    expect(await tags()).toEqual({ a: 'Inactive', b: 'Inactive', c: 'Active', d: 'Active' });
  });

  it('makes an Inactive tag Active again when it is pushed again through Berth', async () => {
    expect((await v2Delete(berth.url, kept.manifestDigest, adminBasic)).status).toBe(405);
    expect(await tags()).toEqual({ a: 'Inactive', b: 'Inactive', c: 'Active', d: 'Inactive' });
    await skopeoCopy(`oci:${path.join(work, 'kept')}:a`, `docker://${berth.host}/team/app:a`, { destCreds: push });
    expect((await artifacts())[kept.manifestDigest]).toEqual(['Active', ['a', 'b', 'd']]);
    expect(await tags()).toEqual({ a: 'Active', b: 'Inactive', c: 'Active', d: 'Inactive' });
  });

  it('removes the artifact and its tags when the delete is retried against a registry that allows it', async () => {
    expect((await v2Delete(berth.url, kept.manifestDigest, adminBasic)).status).toBe(405);
    expect((await artifacts())[kept.manifestDigest]).toEqual(['Inactive', ['a', 'b', 'd']]);

    // The registry's operator turns deletes on: same storage, a new process and port.
    await registry.stop();
    registry = await startDistribution({ storageDir });
    berth = await berth.restart({ upstreamUrl: registry.url });
    expect((await artifacts())[kept.manifestDigest]).toEqual(['Inactive', ['a', 'b', 'd']]);

    await skopeoDelete(`docker://${berth.host}/team/app@${kept.manifestDigest}`, { creds: admin });
    expect(await artifacts()).toEqual({ [other.manifestDigest]: ['Active', ['c']] });
    expect(await tags()).toEqual({ c: 'Active' });
    expect(await image()).toMatchObject({ artifactCount: 1, tagCount: 1 });
    await expect(skopeoInspect(`docker://${berth.host}/team/app@${kept.manifestDigest}`, { creds: admin, raw: true })).rejects.toThrow(/manifest unknown|not found/i);
  });

  it('drops an artifact the registry no longer has: the delete through Berth answers 404 and it leaves the list', async () => {
    const gone = await writeImageLayout(path.join(work, 'gone'), { tag: 'g', layers: [{ files: { 'gone.txt': 'deleted around Berth\n' } }] });
    await skopeoCopy(`oci:${path.join(work, 'gone')}:g`, `docker://${berth.host}/team/app:g`, { destCreds: push });
    await skopeoDelete(`docker://${registry.host}/team/app@${gone.manifestDigest}`);
    expect((await artifacts())[gone.manifestDigest]).toEqual(['Active', ['g']]);

    const res = await v2Delete(berth.url, gone.manifestDigest, adminBasic);
    expect(res.status).toBe(404);
    expect(await artifacts()).toEqual({ [other.manifestDigest]: ['Active', ['c']] });
    expect(await tags()).toEqual({ c: 'Active' });
  });
});
