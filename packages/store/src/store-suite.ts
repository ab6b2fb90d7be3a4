import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { Migrator, sql } from 'kysely';
import type { KyselyStore } from './kysely-store.ts';
import { BerthMigrations } from './migrations.ts';
import type { ManifestPush, Store } from './types.ts';

/** Fixtures shared by the store tests: a second of 2026-01-01, a digest, a manifest push. */
export const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
export const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
export const push = (p: Partial<ManifestPush> & { digest: string }): ManifestPush => ({
  repository: 'team',
  image: 'app',
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: null,
  size: 100,
  platforms: [],
  children: [],
  tag: null,
  at: at(1),
  actor: 'tester',
  ...p,
});

/**
 * The one conformance suite every Store adapter passes. `open` gives a fresh, migrated
 * store for each test.
 */
export function storeSuite(label: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${label}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });


    it('refuses a second repository with the same name', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await expect(store.repositories.create({ name: 'team', description: 'x', at: at(0), actor: 'a' })).rejects.toThrow(/already exists/);
      expect((await store.repositories.list({ limit: 10, sort: 'name', order: 'asc' })).items).toHaveLength(1);
      expect(await store.repositories.id('team')).toBe((await store.repositories.get('team'))!.id);
      expect(await store.repositories.id('nobody')).toBeNull();
    });

    it('pages repositories with an opaque cursor and filters by name', async () => {
      for (const n of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
        await store.repositories.create({ name: n, description: '', at: at(0), actor: 'a' });
      }
      const first = await store.repositories.list({ limit: 2, sort: 'name', order: 'asc' });
      expect(first.items.map((r) => r.name)).toEqual(['alpha', 'beta']);
      const second = await store.repositories.list({ limit: 2, sort: 'name', order: 'asc', cursor: first.nextCursor! });
      expect(second.items.map((r) => r.name)).toEqual(['delta', 'epsilon']);
      const third = await store.repositories.list({ limit: 2, sort: 'name', order: 'asc', cursor: second.nextCursor! });
      expect(third.items.map((r) => r.name)).toEqual(['gamma']);
      expect(third.nextCursor).toBeNull();
      const filtered = await store.repositories.list({ limit: 10, sort: 'name', order: 'asc', q: 'ta' });
      expect(filtered.items.map((r) => r.name)).toEqual(['beta', 'delta']);
      await expect(store.repositories.list({ limit: 2, sort: 'name', order: 'asc', cursor: 'garbage' })).rejects.toThrow(/cursor/);
    });

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

    it('adds pull tallies to image, artifact and tag, keeping the latest time', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', at: at(1) }));
      const tally = (count: number, t: string) => ({
        repository: 'team',
        image: 'app',
        count,
        lastAt: t,
        artifacts: new Map([[digest(1), { count, lastAt: t }]]),
        tags: new Map([['v1', { count, lastAt: t }]]),
      });
      await store.pulls.apply([tally(3, at(30))]);
      await store.pulls.apply([tally(2, at(20))]);
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      expect(image).toMatchObject({ pullCount: 5, pulledAt: at(30), lastModifiedAt: at(30) });
      const [a] = (await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items;
      expect(a).toMatchObject({ pullCount: 5, pulledAt: at(30) });
      const [t] = (await store.images.listTags(image.id, { limit: 10, sort: 'name', order: 'asc' })).items;
      expect(t).toMatchObject({ name: 'v1', pullCount: 5, pulledAt: at(30), digest: digest(1) });
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

    it('finds a repository user by secret hash and applies patches', async () => {
      const repo = await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const u = await store.repositoryUsers.create({
        repositoryId: repo.id,
        name: 'ci',
        permission: 'pull',
        secretHash: 'h1',
        expiresAt: null,
        at: at(0),
        actor: 'a',
      });
      expect((await store.repositoryUsers.findBySecret('h1'))?.name).toBe('ci');
      await store.repositoryUsers.update(u.id, { secretHash: 'h2', permission: 'push', disabled: true });
      expect(await store.repositoryUsers.findBySecret('h1')).toBeNull();
      expect(await store.repositoryUsers.findBySecret('h2')).toMatchObject({ permission: 'push', disabled: true, repository: 'team' });
      await expect(
        store.repositoryUsers.create({ repositoryId: repo.id, name: 'ci', permission: 'pull', secretHash: 'h3', expiresAt: null, at: at(0), actor: 'a' }),
      ).rejects.toThrow(/already exists/);
    });

    it('filters names with LIKE wildcards taken literally', async () => {
      for (const n of ['a_b', 'axb', 'a%b', 'a\\b']) await store.repositories.create({ name: n, description: '', at: at(0), actor: 'a' });
      const names = async (q: string) => (await store.repositories.list({ limit: 10, sort: 'name', order: 'asc', q })).items.map((r) => r.name);
      expect(await names('_')).toEqual(['a_b']);
      expect(await names('%')).toEqual(['a%b']);
      expect(await names('\\')).toEqual(['a\\b']);
      expect(await names('A_B')).toEqual(['a_b']);
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

    it('counts sizes and pulls beyond 32 bits as numbers', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const big = 2 ** 40 + 3;
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', size: big }));
      await store.pulls.apply([{ repository: 'team', image: 'app', count: big, lastAt: at(9), artifacts: new Map([[digest(1), { count: big, lastAt: at(9) }]]), tags: new Map() }]);
      const image = (await store.images.get((await store.repositories.get('team'))!.id, 'app'))!;
      expect(image.pullCount).toBe(big);
      const [a] = (await store.images.listArtifacts(image.id, { limit: 10, sort: 'size', order: 'desc' })).items;
      expect(a).toMatchObject({ size: big, pullCount: big });
      expect(await store.accounts.count()).toBe(0);
      expect((await store.repositories.get('team'))!.imageCount).toBe(1);
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

    describe('job queue', () => {
      const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

      it('queues once per dedupe key while unfinished', async () => {
        const first = await store.jobs.enqueue({ kind: 'sync', payload: { registry: 'default' }, dedupeKey: 'sync:default' }, t(0));
        expect(first).toMatchObject({ kind: 'sync', status: 'queued', payload: { registry: 'default' } });
        expect(await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:default' }, t(1))).toBeNull();
        const leased = await store.jobs.lease('a', t(2), t(60));
        expect(await store.jobs.finish(leased!.id, 'a', { status: 'done' }, t(3))).toBe(true);
        expect(await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:default' }, t(4))).not.toBeNull();
      });

      it('moves a queued duplicate forward when asked to advance', async () => {
        const later = (await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:x', runAt: t(100) }, t(0)))!;
        const advanced = await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:x', runAt: t(5), advance: true }, t(1));
        expect(advanced?.id).toBe(later.id);
        expect((await store.jobs.get(later.id))?.runAt).toBe(t(5));
        expect(await store.jobs.enqueue({ kind: 'sync', dedupeKey: 'sync:x', runAt: t(50), advance: true }, t(2))).toBeNull();
        expect((await store.jobs.get(later.id))?.runAt).toBe(t(5));
      });

      it('leases a job to one owner and hands it over only when the lease runs out', async () => {
        const job = (await store.jobs.enqueue({ kind: 'gc' }, t(0)))!;
        const a = await store.jobs.lease('a', t(1), t(10));
        expect(a).toMatchObject({ id: job.id, status: 'running', leaseOwner: 'a', attempts: 1 });
        expect(await store.jobs.lease('b', t(5), t(15))).toBeNull();
        expect(await store.jobs.renew(job.id, 'a', t(20), t(6))).toBe(true);
        expect(await store.jobs.lease('b', t(15), t(25))).toBeNull();
        // a crashes: its lease runs out, b takes the job, a can no longer finish it.
        const b = await store.jobs.lease('b', t(21), t(40));
        expect(b).toMatchObject({ id: job.id, leaseOwner: 'b', attempts: 2 });
        expect(await store.jobs.finish(job.id, 'a', { status: 'done' }, t(22))).toBe(false);
        expect(await store.jobs.renew(job.id, 'a', t(50), t(22))).toBe(false);
        expect(await store.jobs.finish(job.id, 'b', { status: 'done' }, t(23))).toBe(true);
        expect((await store.jobs.get(job.id))?.status).toBe('done');
      });

      it('retries a failed job at its retry time, and gives up when told to', async () => {
        const job = (await store.jobs.enqueue({ kind: 'scan', maxAttempts: 2 }, t(0)))!;
        await store.jobs.lease('a', t(1), t(10));
        await store.jobs.finish(job.id, 'a', { status: 'failed', error: 'boom', retryAt: t(30) }, t(2));
        expect(await store.jobs.get(job.id)).toMatchObject({ status: 'queued', lastError: 'boom', runAt: t(30) });
        expect(await store.jobs.lease('a', t(29), t(40))).toBeNull();
        expect(await store.jobs.stats(t(31))).toMatchObject({ queued: 1, running: 0, lagSeconds: 1 });
        await store.jobs.lease('a', t(31), t(40));
        await store.jobs.finish(job.id, 'a', { status: 'failed', error: 'boom again', retryAt: null }, t(32));
        expect(await store.jobs.get(job.id)).toMatchObject({ status: 'failed', attempts: 2 });
      });

      it('never hands one job to two owners leasing at once', async () => {
        for (let i = 0; i < 20; i++) await store.jobs.enqueue({ kind: 'k', payload: i }, t(0));
        const owners = ['a', 'b', 'c', 'd'];
        const taken: number[] = [];
        await Promise.all(
          owners.map(async (owner) => {
            for (;;) {
              const job = await store.jobs.lease(owner, t(1), t(100));
              if (!job) return;
              taken.push(job.id);
              await store.jobs.finish(job.id, owner, { status: 'done' }, t(2));
            }
          }),
        );
        expect(taken).toHaveLength(20);
        expect(new Set(taken).size).toBe(20);
      });
    });

    it('keeps a setting once set', async () => {
      expect(await store.settings.init('k', 'first')).toBe('first');
      expect(await store.settings.init('k', 'second')).toBe('first');
      await store.settings.put('k', 'third');
      expect(await store.settings.get('k')).toBe('third');
      await store.settings.put('fresh', 'one');
      expect(await store.settings.get('fresh')).toBe('one');
    });
  });
}

/**
 * Upgrades of a store that holds data, on every adapter. `openBlank` gives a fresh store
 * with no migration applied yet.
 */
export function upgradeSuite(label: string, openBlank: () => Promise<KyselyStore>): void {
  describe(`store upgrades: ${label}`, () => {
    it('gives the artifacts and tags that exist before the status migration the status Active', async () => {
      const store = await openBlank();
      try {
        const { error } = await new Migrator({ db: store.db, provider: new BerthMigrations(store.dialect) }).migrateTo('003_list_indexes');
        if (error) throw error;
        await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
        // Rows as the store wrote them before: no status column yet.
        await store.db.transaction().execute(async (trx) => {
          await sql`insert into images (repository_id, name, description, status, artifact_count, tag_count, pull_count, last_modified_at, created_at, created_by, updated_at, updated_by)
            select id, 'app', '', 'Active', 1, 1, 0, ${at(1)}, ${at(1)}, 'a', ${at(1)}, 'a' from repositories`.execute(trx);
          await sql`insert into artifacts (image_id, digest, media_type, size, platforms, pushed_at, pull_count)
            select id, ${digest(1)}, 'application/vnd.oci.image.manifest.v1+json', 10, '[]', ${at(1)}, 0 from images`.execute(trx);
          await sql`insert into tags (image_id, artifact_id, name, pushed_at, pull_count)
            select image_id, id, 'v1', ${at(1)}, 0 from artifacts`.execute(trx);
        });
        await store.migrate();
        const image = (await store.images.get((await store.repositories.id('team'))!, 'app'))!;
        expect((await store.images.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items.map((a) => [a.digest, a.status])).toEqual([
          [digest(1), 'Active'],
        ]);
        expect((await store.images.listTags(image.id, { limit: 10, sort: 'name', order: 'asc' })).items.map((t) => [t.name, t.status])).toEqual([['v1', 'Active']]);
        // And new rows can be marked.
        expect(await store.images.setTagStatus({ repository: 'team', image: 'app', tag: 'v1', status: 'Deleting' })).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}
