import { describe, expect, it } from 'vitest';
import { graphOf } from '../graph.ts';
import type { KyselyStore } from '../kysely-store.ts';
import type { DeletionPolicy, GraphArtifact } from '../types.ts';
import { at, digest, openEach, push, type OpenStore } from './fixtures.ts';

const policy = (p: Partial<DeletionPolicy> = {}): DeletionPolicy => ({
  enabled: true,
  untagged: true,
  olderThanDays: 30,
  keepNewest: null,
  keepPulledWithinDays: null,
  keepTagPatterns: [],
  ...p,
});

/** Locks, deletion policies, and the artifact graph lifecycle decisions read. `open` gives a fresh, migrated store for each test. */
export function lifecycleSuite(label: string, open: OpenStore): void {
  describe(`store locks, policies and the artifact graph: ${label}`, () => {
    let store: KyselyStore;
    openEach(open, (s) => (store = s));
    const setUp = async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', at: at(1) }));
      await store.images.recordPush(push({ digest: digest(1), tag: 'latest', at: at(2) }));
      await store.images.recordPush(push({ digest: digest(2), tag: 'v2', at: at(3) }));
      const repositoryId = (await store.repositories.id('team'))!;
      return { repositoryId, imageId: (await store.images.get(repositoryId, 'app'))!.id };
    };

    it('locks and unlocks an image and its tags, and reads them back in lists, by id and by name', async () => {
      const { repositoryId, imageId } = await setUp();
      expect(await store.locks.stateByName('team', 'app')).toEqual({ imageId, imageLocked: false, lockedTags: new Map() });
      expect(await store.locks.setTag(imageId, 'v1', true)).toBe(true);
      expect(await store.locks.setTag(imageId, 'nope', true)).toBe(false);
      expect(await store.locks.setImage(imageId, true, at(9), 'admin')).toBe(true);
      expect(await store.locks.state(imageId)).toEqual({ imageId, imageLocked: true, lockedTags: new Map([['v1', digest(1)]]) });
      expect(await store.locks.stateByName('team', 'other')).toBeNull();
      expect(await store.images.get(repositoryId, 'app')).toMatchObject({ locked: true, updatedBy: 'admin', updatedAt: at(9) });
      expect(await store.images.getTag(imageId, 'v1')).toMatchObject({ name: 'v1', digest: digest(1), locked: true });
      expect((await store.images.listTags(imageId, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.locked])).toEqual([
        ['latest', false],
        ['v1', true],
        ['v2', false],
      ]);
      const artifact = await store.images.getArtifact(imageId, digest(1));
      expect(artifact).toMatchObject({ tags: ['latest', 'v1'], lockedTags: ['v1'], subject: null });
      await store.locks.setTag(imageId, 'v1', false);
      await store.locks.setImage(imageId, false, at(10), 'admin');
      expect(await store.locks.state(imageId)).toEqual({ imageId, imageLocked: false, lockedTags: new Map() });
    });

    it('keeps a tag lock when the tag is re-pushed to its digest', async () => {
      const { imageId } = await setUp();
      await store.locks.setTag(imageId, 'v1', true);
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', at: at(5) }));
      expect((await store.images.getTag(imageId, 'v1'))!.locked).toBe(true);
    });

    it('keeps an image policy and a repository default, and lists the images they apply to', async () => {
      const { repositoryId, imageId } = await setUp();
      await store.repositories.create({ name: 'other', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ repository: 'other', image: 'tool', digest: digest(5), tag: 'x' }));
      expect(await store.policies.getImage(imageId)).toBeNull();
      expect(await store.policies.holders()).toEqual([]);

      await store.policies.putRepository(repositoryId, policy({ keepTagPatterns: ['release-*'] }));
      expect(await store.policies.getRepository(repositoryId)).toEqual(policy({ keepTagPatterns: ['release-*'] }));
      expect(await store.policies.holders()).toEqual([
        { imageId, repository: 'team', image: 'app', imagePolicy: null, repositoryPolicy: policy({ keepTagPatterns: ['release-*'] }) },
      ]);
      const otherTool = (await store.images.get((await store.repositories.id('other'))!, 'tool'))!.id;
      await store.policies.putImage(otherTool, policy({ olderThanDays: 7 }));
      expect((await store.policies.holders()).map((h) => [h.repository, h.image, h.imagePolicy?.olderThanDays ?? null])).toEqual([
        ['other', 'tool', 7],
        ['team', 'app', null],
      ]);
      await store.policies.putImage(otherTool, null);
      await store.policies.putRepository(repositoryId, null);
      expect(await store.policies.holders()).toEqual([]);
    });

    it('gives the graph: own sizes, tags with locks, children and subjects; around some digests, or all', async () => {
      const { imageId } = await setUp();
      const child = (n: number) => ({ digest: digest(n), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 40, platform: null });
      await store.images.recordPush(push({ digest: digest(11), size: 40, at: at(4) }));
      await store.images.recordPush(push({ digest: digest(12), size: 40, at: at(4) }));
      // An index's recorded size counts its children (60 of its own).
      await store.images.recordPush(push({ digest: digest(10), mediaType: 'application/vnd.oci.image.index.v1+json', size: 140, children: [child(11), child(12)], tag: 'multi', at: at(5) }));
      await store.images.recordPush(push({ digest: digest(20), subject: digest(2), at: at(6) }));
      await store.locks.setTag(imageId, 'v1', true);

      const all = await store.images.graph(imageId);
      expect(all.map((a) => a.digest).sort()).toEqual([1, 2, 10, 11, 12, 20].map(digest));
      const byDigest = new Map(all.map((a) => [a.digest, a]));
      expect(byDigest.get(digest(1))).toEqual({
        digest: digest(1),
        size: 100,
        pushedAt: at(1),
        pulledAt: null,
        tags: [{ name: 'latest', locked: false }, { name: 'v1', locked: true }],
        children: [],
        subject: null,
      });
      expect(byDigest.get(digest(10))).toMatchObject({ size: 60, children: [digest(11), digest(12)], tags: [{ name: 'multi', locked: false }] });
      expect(byDigest.get(digest(20))).toMatchObject({ subject: digest(2), tags: [] });

      // Around a child: it, and the index that lists it.
      expect((await store.images.graph(imageId, [digest(11)])).map((a) => a.digest).sort()).toEqual([10, 11].map(digest));
      // Around an index: it and its children. Around a subject: it and its referrer.
      expect((await store.images.graph(imageId, [digest(10)])).map((a) => a.digest).sort()).toEqual([10, 11, 12].map(digest));
      expect((await store.images.graph(imageId, [digest(2)])).map((a) => a.digest).sort()).toEqual([2, 20].map(digest));
      expect(await store.images.graph(imageId, [digest(99)])).toEqual([]);
    });

    it('reads the graph in pages of artifacts and of tags: every page size gives the same graph', async () => {
      const { imageId } = await setUp();
      // Another image's pushes in between (its ids interleave), first pushes that tie, several tags on one digest.
      for (let n = 30; n < 40; n++) {
        await store.images.recordPush(push({ digest: digest(n), tag: `t${n}`, at: at(n % 3 === 0 ? 7 : n) }));
        await store.images.recordPush(push({ image: 'other', digest: digest(n), tag: `o${n}`, at: at(n) }));
        if (n % 4 === 0) await store.images.recordPush(push({ digest: digest(n), tag: `extra${n}`, at: at(n) }));
      }
      await store.images.recordPush(push({ digest: digest(50), at: at(7) }));
      await store.locks.setTag(imageId, 't32', true);
      const sorted = (g: GraphArtifact[]) => [...g].sort((x, y) => (x.digest < y.digest ? -1 : 1));
      const whole = sorted(await graphOf(store.db, store.dialect, imageId));
      expect(whole).toHaveLength(13);
      expect(whole.flatMap((a) => a.tags).filter((t) => t.locked)).toEqual([{ name: 't32', locked: true }]);
      expect(whole.find((a) => a.digest === digest(32))!.tags.map((t) => t.name)).toEqual(['extra32', 't32']);
      for (const page of [1, 2, 3, 5, 12, 13]) expect(sorted(await graphOf(store.db, store.dialect, imageId, undefined, page)), `page ${page}`).toEqual(whole);
    });

    it('settles what a stopped delete or edit left: Deleting is Inactive, an Editing image Active', async () => {
      const { repositoryId, imageId } = await setUp();
      await store.images.setArtifactStatus({ repository: 'team', image: 'app', digest: digest(1), status: 'Deleting' });
      await store.images.setTagStatus({ repository: 'team', image: 'app', tag: 'v2', status: 'Deleting' });
      await store.images.setStatus(imageId, 'Editing');
      const keys = await store.images.inProgress(imageId);
      expect([...keys].sort()).toEqual(['artifact:' + digest(1), 'image', 'tag:latest', 'tag:v1', 'tag:v2'].sort());
      // Only what is named, and still mid-operation, settles.
      expect(await store.images.settleStatuses(imageId, ['tag:v2', 'artifact:' + digest(2)])).toBe(1);
      expect(await store.images.settleStatuses(imageId, keys)).toBe(4);
      expect((await store.images.get(repositoryId, 'app'))!.status).toBe('Active');
      expect((await store.images.getArtifact(imageId, digest(1)))!.status).toBe('Inactive');
      expect((await store.images.listTags(imageId, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status])).toEqual([
        ['latest', 'Inactive'],
        ['v1', 'Inactive'],
        ['v2', 'Inactive'],
      ]);
      expect(await store.images.settleStatuses(imageId, keys)).toBe(0);
      expect(await store.images.inProgress(imageId)).toEqual([]);
    });

    it('sets the image status, and removes an image only once it has no artifact left', async () => {
      const { repositoryId, imageId } = await setUp();
      expect(await store.images.setStatus(imageId, 'Editing', 'Active')).toBe(true);
      expect(await store.images.setStatus(imageId, 'Deleting', 'Active')).toBe(false);
      expect((await store.images.get(repositoryId, 'app'))!.status).toBe('Editing');
      expect(await store.images.delete(imageId)).toBe(false);
      for (const n of [1, 2]) await store.images.recordDelete({ repository: 'team', image: 'app', digest: digest(n), at: at(9) });
      expect(await store.images.delete(imageId)).toBe(true);
      expect(await store.images.get(repositoryId, 'app')).toBeNull();
    });
  });
}
