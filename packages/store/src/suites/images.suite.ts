import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { at, digest, openEach, push, type OpenStore } from './fixtures.ts';

/** Images, artifacts and tags: pushes, deletes, statuses, sorting and paging. `open` gives a fresh, migrated store for each test. */
export function imagesSuite(label: string, open: OpenStore): void {
  describe(`store images: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    it('indexes a push: image, artifact, tag, counts', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', size: 1234, at: at(5) }));
      const repo = (await store.repositories.get('team'))!;
      expect(repo.imageCount).toBe(1);
      const image = (await store.images.get(repo.id, 'app'))!;
      expect(image).toMatchObject({ artifactCount: 1, tagCount: 1, pushedAt: at(5), lastModifiedAt: at(5), createdBy: 'tester' });
      const artifacts = await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' });
      expect(artifacts.items).toHaveLength(1);
      expect(artifacts.items[0]).toMatchObject({ digest: digest(1), size: 1234, tags: ['v1'], pullCount: 0 });
    });

    it('moves a tag to a new digest and keeps the old artifact untagged', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'latest', at: at(1) }));
      await store.images.recordPush(push({ digest: digest(2), tag: 'latest', at: at(2) }));
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      expect(image.artifactCount).toBe(2);
      expect(image.tagCount).toBe(1);
      const items = (await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items;
      expect(items.map((a) => [a.digest, a.tags])).toEqual([
        [digest(2), ['latest']],
        [digest(1), []],
      ]);
      expect(await store.images.tagMap(image.id)).toEqual(new Map([['latest', digest(2)]]));
      expect(await store.images.untaggedDigests(image.id)).toEqual([digest(1)]);
    });

    it('hides the children of an index from the top-level list and lists them under it', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
      await store.images.recordPush(push({ digest: digest(11), size: 10, platforms: [platform] }));
      await store.images.recordPush(push({ digest: digest(12), size: 20 }));
      await store.images.recordPush(
        push({
          digest: digest(10),
          tag: 'multi',
          mediaType: 'application/vnd.oci.image.index.v1+json',
          size: 35,
          platforms: [platform],
          children: [
            { digest: digest(11), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 10, platform },
            { digest: digest(12), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 20, platform: null },
          ],
        }),
      );
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      expect(image.artifactCount).toBe(1);
      const [index] = (await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items;
      expect(index!.children.map((c) => [c.digest, c.platform])).toEqual([
        [digest(11), platform],
        [digest(12), null],
      ]);
      // The platform manifests are the index's, not untagged artifacts of their own.
      expect(await store.images.untaggedDigests(image.id)).toEqual([]);
    });

    it('sorts and pages images by pull count with ties broken stably', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      for (let i = 0; i < 7; i++) await store.images.recordPush(push({ image: `img${i}`, digest: digest(100 + i), tag: 'v' }));
      const repoId = (await store.repositories.get('team'))!.id;
      await store.pulls.apply(
        [0, 1, 2, 3, 4, 5, 6].map((i) => ({ repository: 'team', image: `img${i}`, count: i % 3, lastAt: at(9), artifacts: new Map(), tags: new Map() })),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.images.list(repoId, { limit: 3, sort: 'pullCount', order: 'desc', cursor });
        seen.push(...page.items.map((i) => `${i.name}:${i.pullCount}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const counts = seen.map((s) => Number(s.split(':')[1]));
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    });

    it('removes an artifact and its tags on delete', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1' }));
      await store.images.recordPush(push({ digest: digest(2), tag: 'v2' }));
      expect(await store.images.recordDelete({ repository: 'team', image: 'app', digest: digest(1), at: at(3) })).toBe(true);
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      expect(image).toMatchObject({ artifactCount: 1, tagCount: 1 });
      expect(await store.images.recordDelete({ repository: 'team', image: 'app', digest: digest(1), at: at(3) })).toBe(false);
    });

    describe('status of artifacts and tags', () => {
      const statuses = async (imageId: number) => ({
        artifacts: (await store.images.listArtifacts(imageId, { limit: 10, sort: 'pushedAt', order: 'asc' })).items.map((a) => [a.digest, a.status]),
        tags: (await store.images.listTags(imageId, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status]),
      });
      const imageOf = async () => (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;

      it('is Active when pushed; a delete marks the artifact and its tags Deleting, then Inactive; a push makes them Active again', async () => {
        await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
        await store.images.recordPush(push({ digest: digest(1), tag: 'v1', at: at(1) }));
        await store.images.recordPush(push({ digest: digest(1), tag: 'v2', at: at(2) }));
        await store.images.recordPush(push({ digest: digest(2), tag: 'v3', at: at(3) }));
        const image = await imageOf();
        expect(await statuses(image.id)).toEqual({
          artifacts: [[digest(1), 'Active'], [digest(2), 'Active']],
          tags: [['v1', 'Active'], ['v2', 'Active'], ['v3', 'Active']],
        });

        expect(await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(1), status: 'Deleting' })).toBe(true);
        expect(await statuses(image.id)).toEqual({
          artifacts: [[digest(1), 'Deleting'], [digest(2), 'Active']],
          tags: [['v1', 'Deleting'], ['v2', 'Deleting'], ['v3', 'Active']],
        });
        expect((await store.images.getArtifact(image.id, digest(1)))?.status).toBe('Deleting');

        const inactive = { repository: 'team', image: 'app', digest: digest(1), status: 'Inactive', from: 'Deleting' } as const;
        expect(await store.images.setArtifactStatus(inactive)).toBe(true);
        expect(await store.images.setArtifactStatus(inactive)).toBe(false); // no longer Deleting
        expect(await statuses(image.id)).toEqual({
          artifacts: [[digest(1), 'Inactive'], [digest(2), 'Active']],
          tags: [['v1', 'Inactive'], ['v2', 'Inactive'], ['v3', 'Active']],
        });
        // Still listed and counted: the content is still in the registry.
        expect(await imageOf()).toMatchObject({ artifactCount: 2, tagCount: 3 });

        // Pushed again: the artifact and the tag pushed are Active; v2 stays Inactive.
        await store.images.recordPush(push({ digest: digest(1), tag: 'v1', at: at(5) }));
        expect(await statuses(image.id)).toEqual({
          artifacts: [[digest(1), 'Active'], [digest(2), 'Active']],
          tags: [['v1', 'Active'], ['v2', 'Inactive'], ['v3', 'Active']],
        });

        expect(await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(99), status: 'Deleting' })).toBe(false);
        expect(await store.images.setArtifactStatus({ repository: 'team', image: 'nope', digest: digest(1), status: 'Deleting' })).toBe(false);
      });

      it('marks one tag; a failed delete leaves what was pushed again in the meantime Active', async () => {
        await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
        await store.images.recordPush(push({ digest: digest(1), tag: 'v1' }));
        await store.images.recordPush(push({ digest: digest(1), tag: 'v2' }));
        const image = await imageOf();
        const tag = (name: string, status: 'Deleting' | 'Inactive', from?: 'Deleting') =>
          store.images.setTagStatus({ repository: 'team', image: 'app', tag: name, status, from });

        expect(await tag('v1', 'Deleting')).toBe(true);
        expect(await statuses(image.id)).toEqual({ artifacts: [[digest(1), 'Active']], tags: [['v1', 'Deleting'], ['v2', 'Active']] });
        expect(await tag('v1', 'Inactive', 'Deleting')).toBe(true);
        expect(await statuses(image.id)).toEqual({ artifacts: [[digest(1), 'Active']], tags: [['v1', 'Inactive'], ['v2', 'Active']] });
        // The artifact lists carry the tags that are not Active with their status.
        expect((await store.images.getArtifact(image.id, digest(1)))?.tagStatus).toEqual({ v1: 'Inactive' });
        expect(await tag('nope', 'Deleting')).toBe(false);

        // v2 deleted while v2 is pushed again: the push wins, the failure changes nothing.
        expect(await tag('v2', 'Deleting')).toBe(true);
        await store.images.recordPush(push({ digest: digest(2), tag: 'v2' }));
        expect(await tag('v2', 'Inactive', 'Deleting')).toBe(false);
        // The artifact deleted while one of its tags is pushed again: only the others go Inactive.
        await store.images.recordPush(push({ digest: digest(1), tag: 'v3' }));
        await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(1), status: 'Deleting' });
        await store.images.recordPush(push({ digest: digest(1), tag: 'v3' }));
        expect(await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(1), status: 'Inactive', from: 'Deleting' })).toBe(false);
        expect(await statuses(image.id)).toEqual({
          artifacts: [[digest(1), 'Active'], [digest(2), 'Active']],
          tags: [['v1', 'Inactive'], ['v2', 'Active'], ['v3', 'Active']],
        });
        const listed = (await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'asc' })).items;
        expect(listed.map((a) => [a.digest, a.tagStatus])).toEqual([
          [digest(1), { v1: 'Inactive' }],
          [digest(2), {}],
        ]);
      });

      it('removes an Inactive artifact and its tags when a retried delete succeeds', async () => {
        await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
        await store.images.recordPush(push({ digest: digest(1), tag: 'v1' }));
        await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(1), status: 'Inactive' });
        expect(await store.images.recordDelete({ repository: 'team', image: 'app', digest: digest(1), at: at(3) })).toBe(true);
        const image = await imageOf();
        expect(await statuses(image.id)).toEqual({ artifacts: [], tags: [] });
        expect(image).toMatchObject({ artifactCount: 0, tagCount: 0 });
      });
    });

    it('sorts names byte by byte, whatever the database collation', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      for (const [i, tag] of ['b1', 'V1', 'b.1', 'a', 'b-1', 'B2'].entries()) await store.images.recordPush(push({ digest: digest(i + 1), tag }));
      for (const [i, image] of ['app/x', 'app-x', 'appx', 'app.x'].entries()) await store.images.recordPush(push({ image, digest: digest(i + 50) }));
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      const tags = (await store.images.listTags(image.id, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => t.name);
      expect(tags).toEqual(['B2', 'V1', 'a', 'b-1', 'b.1', 'b1']);
      expect(await store.images.catalog(null, 10, undefined)).toEqual(['team/app', 'team/app-x', 'team/app.x', 'team/app/x', 'team/appx']);
      expect(await store.images.catalog(null, 10, 'team/app.x')).toEqual(['team/app/x', 'team/appx']);
    });

    it('refuses a cursor whose value does not fit the sort', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      for (let i = 0; i < 3; i++) await store.images.recordPush(push({ image: `img${i}`, digest: digest(i + 1) }));
      const repoId = (await store.repositories.get('team'))!.id;
      const byName = await store.images.list(repoId, { limit: 1, sort: 'name', order: 'asc' });
      expect(byName.nextCursor).not.toBeNull();
      await expect(store.images.list(repoId, { limit: 1, sort: 'pullCount', order: 'asc', cursor: byName.nextCursor! })).rejects.toThrow(
        /cursor/,
      );
      const huge = Buffer.from(JSON.stringify([0, 2 ** 40])).toString('base64url');
      await expect(store.images.list(repoId, { limit: 1, sort: 'pullCount', order: 'asc', cursor: huge })).rejects.toThrow(/cursor/);
    });

    it('keeps long media types and artifact types from pushed manifests', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const long = `application/vnd.example.${'x'.repeat(300)}+json`;
      await store.images.recordPush(push({ digest: digest(2), artifactType: long }));
      await store.images.recordPush(
        push({ digest: digest(1), tag: 'i', mediaType: 'application/vnd.oci.image.index.v1+json', children: [{ digest: digest(2), mediaType: long, size: 1, platform: null }] }),
      );
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      expect((await store.images.getArtifact(image.id, digest(2)))?.artifactType).toBe(long);
      expect((await store.images.getArtifact(image.id, digest(1)))?.children[0]?.mediaType).toBe(long);
    });

    it('finds nothing by a name holding U+0000, and keeps free text that holds one', async () => {
      const repo = await store.repositories.create({ name: 'team', description: 'a\0b', at: at(0), actor: 'a' });
      expect(repo.description).toMatch(/^a.b$/);
      expect(await store.accounts.get('ad\0min')).toBeNull();
      expect(await store.repositories.get('te\0am')).toBeNull();
      expect(await store.images.get(repo.id, 'ap\0p')).toBeNull();
      expect((await store.repositories.list({ limit: 10, sort: 'name', order: 'asc', q: 'te\0' })).items).toEqual([]);
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', artifactType: 'application/x\0y' }));
      const image = (await store.images.get(repo.id, 'app'))!;
      expect((await store.images.getArtifact(image.id, digest(1)))?.artifactType).toMatch(/^application\/x.y$/);
      await store.images.removeTags(image.id, ['v\0']);
      expect((await store.images.get(repo.id, 'app'))?.tagCount).toBe(1);
    });
  });
}
