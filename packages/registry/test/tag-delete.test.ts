import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '@berth/oci';
import { startDistribution, startFaultyProxy } from '@berth/testkit';
import { getManifest, imageFixture, putManifest, targets, uniqueName, type Target } from './targets.ts';

/**
 * Deleting one tag keeps its digest and the digest's other tags, on a registry that deletes
 * tags and on CNCF distribution 2.8, which cannot (Berth's client moves the tag onto a
 * placeholder manifest and deletes that).
 */
describe.each(targets)('deleting one tag on $name', (factory) => {
  let t: Target;
  let client: RegistryClient;
  beforeAll(async () => {
    t = await factory.start();
    client = new RegistryClient(t.url);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const tagsOf = async (name: string) => (await client.tags(name)).sort();

  it('removes that tag only: the digest and its other tags stay pullable', async () => {
    const name = uniqueName('tagdel');
    const img = await imageFixture(t, name);
    for (const tag of ['v1', 'latest', 'stable']) expect((await putManifest(t, name, tag, img.manifest)).status).toBe(201);

    const answer = await client.deleteTag(name, 'latest');
    expect(answer).toMatchObject({ answer: 'deleted', technique: factory.caps.v11 ? 'tag-delete' : 'placeholder' });

    expect(await tagsOf(name)).toEqual(['stable', 'v1']);
    expect((await getManifest(t, name, 'latest', 'HEAD')).status).toBe(404);
    for (const ref of ['v1', 'stable', img.digest]) {
      const res = await getManifest(t, name, ref);
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-content-digest')).toBe(img.digest);
      expect(Buffer.from(await res.arrayBuffer()).equals(img.manifest)).toBe(true);
    }
  });

  it('removes the last tag of a digest and keeps the digest', async () => {
    const name = uniqueName('tagdel');
    const img = await imageFixture(t, name);
    expect((await putManifest(t, name, 'only', img.manifest)).status).toBe(201);
    expect((await client.deleteTag(name, 'only')).answer).toBe('deleted');
    expect(await tagsOf(name)).toEqual([]);
    expect((await getManifest(t, name, img.digest, 'HEAD')).status).toBe(200);
  });

  it('answers absent for a tag that is not there, and changes nothing', async () => {
    const name = uniqueName('tagdel');
    const img = await imageFixture(t, name);
    expect((await putManifest(t, name, 'v1', img.manifest)).status).toBe(201);
    expect((await client.deleteTag(name, 'nope')).answer).toBe('absent');
    expect(await tagsOf(name)).toEqual(['v1']);
  });

  it('deletes a manifest by digest with every tag on it', async () => {
    const name = uniqueName('tagdel');
    const img = await imageFixture(t, name);
    for (const tag of ['a', 'b']) expect((await putManifest(t, name, tag, img.manifest)).status).toBe(201);
    expect((await client.deleteManifest(name, img.digest)).answer).toBe('deleted');
    expect(await tagsOf(name)).toEqual([]);
    expect((await getManifest(t, name, img.digest, 'HEAD')).status).toBe(404);
    expect((await client.deleteManifest(name, img.digest)).answer).toBe('absent');
  });
});

describe('deleting one tag on distribution with deletes turned off', () => {
  let registry: Awaited<ReturnType<typeof startDistribution>>;
  beforeAll(async () => {
    registry = await startDistribution({ env: { REGISTRY_STORAGE_DELETE_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('is refused, and the tag still points at its manifest', async () => {
    const t = { name: 'distribution', url: registry.url, host: registry.host, caps: { v11: false }, stop: async () => undefined } as Target;
    const client = new RegistryClient(t.url);
    const name = uniqueName('tagdel');
    const img = await imageFixture(t, name);
    expect((await putManifest(t, name, 'v1', img.manifest)).status).toBe(201);
    expect(await client.deleteTag(name, 'v1')).toMatchObject({ answer: 'refused', status: 405 });
    const res = await getManifest(t, name, 'v1');
    expect(res.headers.get('docker-content-digest')).toBe(img.digest);
  });
});

describe('deleting one tag on distribution when the placeholder cannot be deleted', () => {
  let registry: Awaited<ReturnType<typeof startDistribution>>;
  beforeAll(async () => {
    registry = await startDistribution();
  });
  afterAll(async () => {
    await registry?.stop();
  });
  const target = () => ({ name: 'distribution', url: registry.url, host: registry.host, caps: { v11: false }, stop: async () => undefined }) as Target;

  it('puts the tag back on its manifest, byte for byte', async () => {
    const name = uniqueName('tagdel');
    const img = await imageFixture(target(), name);
    for (const tag of ['v1', 'v2']) expect((await putManifest(target(), name, tag, img.manifest)).status).toBe(201);
    const proxy = await startFaultyProxy(registry.url, (method, path) => method === 'DELETE' && path.includes('/manifests/sha256:'));
    try {
      const answer = await new RegistryClient(proxy.url).deleteTag(name, 'v1');
      expect(answer).toMatchObject({ answer: 'refused', status: 500, technique: 'placeholder' });
      expect(answer.message).not.toMatch(/could not be put back/);
    } finally {
      await proxy.close();
    }
    for (const tag of ['v1', 'v2']) {
      const res = await getManifest(target(), name, tag);
      expect(res.headers.get('docker-content-digest')).toBe(img.digest);
      expect(Buffer.from(await res.arrayBuffer()).equals(img.manifest)).toBe(true);
    }
  });

  it('says so when the tag cannot be put back either', async () => {
    const name = uniqueName('tagdel');
    const img = await imageFixture(target(), name);
    expect((await putManifest(target(), name, 'v1', img.manifest)).status).toBe(201);
    let puts = 0;
    const proxy = await startFaultyProxy(
      registry.url,
      (method, path) => (method === 'DELETE' && path.includes('/manifests/sha256:')) || (method === 'PUT' && path.endsWith('/manifests/v1') && ++puts > 1),
    );
    try {
      const answer = await new RegistryClient(proxy.url).deleteTag(name, 'v1');
      expect(answer.answer).toBe('refused');
      expect(answer.message).toMatch(new RegExp(`could not be put back .*push ${img.digest}`));
    } finally {
      await proxy.close();
    }
  });
});
