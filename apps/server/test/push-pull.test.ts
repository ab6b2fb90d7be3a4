import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Image, Page, Tag } from '@berth/api';
import { createPodman, skopeoCopy, skopeoDelete, skopeoInspect, writeImageLayout, writeIndexLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, eventually, repositoryWithUser, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

describe('push and pull through Berth with real clients', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let pushSecret: string;
  let pullSecret: string;
  let work: string;
  const images = (b: RunningBerth) => b.api<Page<Image>>('GET', '/repositories/team/images');
  const artifacts = (b: RunningBerth, image: string) =>
    b.api<Page<Artifact>>('GET', `/repositories/team/images/${encodeURIComponent(image)}/artifacts`);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-push-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    pushSecret = await repositoryWithUser(berth, 'team', 'ci', 'push');
    pullSecret = await repositoryWithUser(berth, 'team', 'reader', 'pull');
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('indexes a single-arch image pushed with skopeo; digest, tag and size match skopeo inspect', async () => {
    const layout = path.join(work, 'single');
    const written = await writeImageLayout(layout, {
      tag: 'v1',
      layers: [{ files: { 'hello.txt': 'hello from berth\n' } }, { randomBytes: 200_000, seed: 'single' }],
      config: { os: 'linux', architecture: 'amd64' },
    });
    await skopeoCopy(`oci:${layout}:v1`, `docker://${berth.host}/team/apps/hello:v1`, { destCreds: { username: 'team', password: pushSecret } });

    const raw = (await skopeoInspect(`docker://${berth.host}/team/apps/hello:v1`, { creds: { username: 'team', password: pullSecret }, raw: true })) as string;
    const manifest = JSON.parse(raw) as { config: { size: number }; layers: { size: number }[] };
    const inspected = (await skopeoInspect(`docker://${berth.host}/team/apps/hello:v1`, { creds: { username: 'team', password: pullSecret } })) as {
      Digest: string;
      RepoTags: string[];
    };
    expect(inspected.Digest).toBe(written.manifestDigest);
    expect(inspected.RepoTags).toEqual(['v1']);

    const list = await images(berth);
    const image = list.body.items.find((i) => i.name === 'apps/hello');
    expect(image).toMatchObject({ artifactCount: 1, tagCount: 1 });
    const [artifact] = (await artifacts(berth, 'apps/hello')).body.items;
    const expectedSize = Buffer.byteLength(raw) + manifest.config.size + manifest.layers.reduce((s, l) => s + l.size, 0);
    expect(artifact).toMatchObject({
      digest: written.manifestDigest,
      tags: ['v1'],
      size: expectedSize,
      platforms: [{ os: 'linux', architecture: 'amd64' }],
    });
    expect(artifact!.size).toBe(written.totalSize);
  });

  it('indexes a multi-arch index with its children and platforms', async () => {
    const layout = path.join(work, 'multi');
    const written = await writeIndexLayout(layout, {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'arch.txt': 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'arch.txt': 'arm64' } }] },
      ],
    });
    await skopeoCopy(`oci:${layout}:multi`, `docker://${berth.host}/team/multi:multi`, { destCreds: { username: 'team', password: pushSecret }, all: true });
    const inspected = (await skopeoInspect(`docker://${berth.host}/team/multi:multi`, { creds: { username: 'team', password: pullSecret }, raw: true })) as string;
    const index = JSON.parse(inspected) as { manifests: { digest: string; platform: { architecture: string } }[] };

    const page = await artifacts(berth, 'multi');
    expect(page.body.items).toHaveLength(1);
    const artifact = page.body.items[0]!;
    expect(artifact.digest).toBe(written.indexDigest);
    expect(artifact.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(artifact.tags).toEqual(['multi']);
    expect(artifact.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).sort()).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
    ]);
    expect(artifact.children?.map((c) => c.digest)).toEqual(index.manifests.map((m) => m.digest));
    const childrenSize = artifact.children!.reduce((s, c) => s + c.size, 0);
    expect(artifact.size).toBe(Buffer.byteLength(inspected) + childrenSize);
    const image = (await images(berth)).body.items.find((i) => i.name === 'multi');
    expect(image?.artifactCount).toBe(1);
  });

  it('pushes and pulls with podman, logged in as a repository user', async () => {
    const podman = await createPodman();
    try {
      await podman.login(berth.host, 'team', pushSecret);
      const layout = path.join(work, 'podman');
      const written = await writeImageLayout(layout, { tag: 'base', layers: [{ files: { 'p.txt': 'podman' } }], config: { os: 'linux', architecture: 'amd64' } });
      await skopeoCopy(`oci:${layout}:base`, `docker://${berth.host}/team/podman:base`, { destCreds: { username: 'team', password: pushSecret } });
      await podman.pull(`${berth.host}/team/podman:base`);
      // A multi-arch index: podman picks this machine's platform (linux/amd64) through Berth.
      await podman.pull(`${berth.host}/team/multi:multi`);
      const pulled = await podman.run(['image', 'inspect', '--format', '{{.Architecture}}', `${berth.host}/team/multi:multi`]);
      expect(pulled.stdout.trim()).toBe('amd64');
      await podman.tag(`${berth.host}/team/podman:base`, `${berth.host}/team/podman:again`);
      await podman.push(`${berth.host}/team/podman:again`);
      const tags = await berth.api<Page<Tag>>('GET', '/repositories/team/images/podman/tags');
      expect(tags.body.items.map((t) => t.name).sort()).toEqual(['again', 'base']);
      const base = tags.body.items.find((t) => t.name === 'base')!;
      expect(base.digest).toBe(written.manifestDigest);
      // podman re-encodes on push, so the new tag's digest is whatever the registry says it is.
      const again = (await skopeoInspect(`docker://${berth.host}/team/podman:again`, { creds: { username: 'team', password: pullSecret } })) as { Digest: string };
      expect(tags.body.items.find((t) => t.name === 'again')!.digest).toBe(again.Digest);
    } finally {
      await podman.cleanup();
    }
  });

  it('counts N pulls as N, per image, artifact and tag; HEAD is not a pull', async () => {
    const layout = path.join(work, 'count');
    const written = await writeImageLayout(layout, { tag: 'c1', layers: [{ files: { 'c.txt': 'count me' } }] });
    await skopeoCopy(`oci:${layout}:c1`, `docker://${berth.host}/team/counted:c1`, { destCreds: { username: 'team', password: pushSecret } });
    const N = 3;
    for (let i = 0; i < N; i++) {
      await skopeoCopy(`docker://${berth.host}/team/counted:c1`, `oci:${path.join(work, `pulled-${i}`)}:x`, { srcCreds: { username: 'team', password: pullSecret } });
    }
    const auth = `Basic ${Buffer.from(`team:${pullSecret}`).toString('base64')}`;
    const head = await fetch(`${berth.url}/v2/team/counted/manifests/c1`, {
      method: 'HEAD',
      headers: { authorization: auth, accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(head.status).toBe(200);
    await eventually(async () => {
      const image = (await images(berth)).body.items.find((i) => i.name === 'counted')!;
      expect(image.pullCount).toBe(N);
      const [artifact] = (await artifacts(berth, 'counted')).body.items;
      expect(artifact).toMatchObject({ digest: written.manifestDigest, pullCount: N });
      expect(artifact!.pulledAt).not.toBeNull();
      const [tag] = (await berth.api<Page<Tag>>('GET', '/repositories/team/images/counted/tags')).body.items;
      expect(tag).toMatchObject({ name: 'c1', pullCount: N });
    });
  });

  it('counts an index pull and its child pull as one pull', async () => {
    await berth.pulls.flush();
    const before = (await images(berth)).body.items.find((i) => i.name === 'multi')!.pullCount;
    await skopeoCopy(`docker://${berth.host}/team/multi:multi`, `oci:${path.join(work, 'multi-pull')}:x`, { srcCreds: { username: 'team', password: pullSecret } });
    await eventually(async () => {
      const after = (await images(berth)).body.items.find((i) => i.name === 'multi')!.pullCount;
      expect(after).toBe(before + 1);
    });
  });

  it('keeps everything across a restart', async () => {
    const before = (await images(berth)).body;
    berth = await berth.restart();
    const after = (await images(berth)).body;
    expect(after).toEqual(before);
    const inspected = (await skopeoInspect(`docker://${berth.host}/team/apps/hello:v1`, { creds: { username: 'team', password: pullSecret } })) as { Digest: string };
    expect(inspected.Digest).toMatch(/^sha256:/);
  });

  it('removes an artifact and its tags when it is deleted through /v2', async () => {
    const layout = path.join(work, 'doomed');
    const written = await writeImageLayout(layout, { tag: 'gone', layers: [{ files: { 'g.txt': 'delete me' } }] });
    await skopeoCopy(`oci:${layout}:gone`, `docker://${berth.host}/team/doomed:gone`, { destCreds: { username: 'team', password: pushSecret } });
    expect((await artifacts(berth, 'doomed')).body.items).toHaveLength(1);
    // Push users may not delete; admins may.
    await expect(skopeoDelete(`docker://${berth.host}/team/doomed@${written.manifestDigest}`, { creds: { username: 'team', password: pushSecret } })).rejects.toThrow(
      /denied|unauthorized|forbidden/i,
    );
    expect((await artifacts(berth, 'doomed')).body.items).toHaveLength(1);
    await skopeoDelete(`docker://${berth.host}/team/doomed@${written.manifestDigest}`, { creds: { username: 'admin', password: ADMIN_PASSWORD } });
    expect((await artifacts(berth, 'doomed')).body.items).toEqual([]);
    const image = (await images(berth)).body.items.find((i) => i.name === 'doomed');
    expect(image).toMatchObject({ artifactCount: 0, tagCount: 0 });
  });

  it('removes just one tag through /v2, on the embedded registry and on distribution 2.8 (which cannot delete a tag by itself)', async () => {
    const layout = path.join(work, 'two-tags');
    const written = await writeImageLayout(layout, { tag: 'a', layers: [{ files: { 't.txt': 'two tags' } }] });
    for (const tag of ['a', 'b']) {
      await skopeoCopy(`oci:${layout}:a`, `docker://${berth.host}/team/twotags:${tag}`, { destCreds: { username: 'team', password: pushSecret } });
    }
    const admin = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const del = await fetch(`${berth.url}/v2/team/twotags/manifests/a`, { method: 'DELETE', headers: { authorization: admin } });
    const tagsNow = async () => (await artifacts(berth, 'twotags')).body.items.map((a) => [a.digest, [...a.tags].sort()]);
    expect(del.status).toBe(202);
    expect(await tagsNow()).toEqual([[written.manifestDigest, ['b']]]);
    const gone = await fetch(`${berth.url}/v2/team/twotags/manifests/a`, { method: 'HEAD', headers: { authorization: admin } });
    expect(gone.status).toBe(404);
    const kept = await skopeoInspect(`docker://${berth.host}/team/twotags:b`, { creds: { username: 'admin', password: ADMIN_PASSWORD }, raw: true });
    expect(kept).toBe(written.manifestJson);
  });

  it('imports content that reached the registry around Berth on sync', async () => {
    const layout = path.join(work, 'direct');
    const written = await writeImageLayout(layout, { tag: 'd1', layers: [{ files: { 'd.txt': 'direct' } }] });
    await skopeoCopy(`oci:${layout}:d1`, `docker://${registry.url.replace('http://', '')}/imported/app:d1`);
    const sync = await berth.api<{ repositories: number; tags: number }>('POST', '/registries/default/sync');
    expect(sync.status).toBe(200);
    expect(sync.body.repositories).toBe(1);
    const list = await berth.api<Page<Artifact>>('GET', '/repositories/imported/images/app/artifacts');
    expect(list.body.items.map((a) => [a.digest, a.tags])).toEqual([[written.manifestDigest, ['d1']]]);
  });

  it('drops on sync an artifact deleted around Berth, and keeps an untagged one the registry still has', async () => {
    const pushed = async (name: string, tag: string) => {
      const layout = path.join(work, `vanish-${name}`);
      const written = await writeImageLayout(layout, { tag, layers: [{ files: { 'v.txt': name } }] });
      await skopeoCopy(`oci:${layout}:${tag}`, `docker://${berth.host}/team/vanish:${tag}`, { destCreds: { username: 'team', password: pushSecret } });
      return written.manifestDigest;
    };
    const deleted = await pushed('deleted', 'old');
    const untagged = await pushed('untagged', 'moving');
    const current = await pushed('current', 'moving');
    // Deleted in the registry itself, not through Berth: its tag goes with it.
    await skopeoDelete(`docker://${registry.host}/team/vanish@${deleted}`);
    const sync = await berth.api<{ removedTags: number; removedArtifacts: number }>('POST', '/registries/default/sync');
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ removedTags: 1, removedArtifacts: 1 });
    const list = (await artifacts(berth, 'vanish')).body.items.map((a) => [a.digest, a.tags]);
    expect(list).toEqual([
      [current, ['moving']],
      [untagged, []],
    ]);
    expect((await images(berth)).body.items.find((i) => i.name === 'vanish')).toMatchObject({ artifactCount: 2, tagCount: 1 });
    // A second sync finds nothing more to drop.
    expect((await berth.api<{ removedArtifacts: number }>('POST', '/registries/default/sync')).body.removedArtifacts).toBe(0);
  });
});
