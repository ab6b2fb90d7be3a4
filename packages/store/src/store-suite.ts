import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { ManifestPush, Store } from './types.ts';

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

    const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
    const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
    const push = (p: Partial<ManifestPush> & { digest: string }): ManifestPush => ({
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

    it('refuses a second repository with the same name', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      await expect(store.createRepository({ name: 'team', description: 'x', at: at(0), actor: 'a' })).rejects.toThrow(/already exists/);
      expect((await store.listRepositories({ limit: 10, sort: 'name', order: 'asc' })).items).toHaveLength(1);
    });

    it('pages repositories with an opaque cursor and filters by name', async () => {
      for (const n of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) {
        await store.createRepository({ name: n, description: '', at: at(0), actor: 'a' });
      }
      const first = await store.listRepositories({ limit: 2, sort: 'name', order: 'asc' });
      expect(first.items.map((r) => r.name)).toEqual(['alpha', 'beta']);
      const second = await store.listRepositories({ limit: 2, sort: 'name', order: 'asc', cursor: first.nextCursor! });
      expect(second.items.map((r) => r.name)).toEqual(['delta', 'epsilon']);
      const third = await store.listRepositories({ limit: 2, sort: 'name', order: 'asc', cursor: second.nextCursor! });
      expect(third.items.map((r) => r.name)).toEqual(['gamma']);
      expect(third.nextCursor).toBeNull();
      const filtered = await store.listRepositories({ limit: 10, sort: 'name', order: 'asc', q: 'ta' });
      expect(filtered.items.map((r) => r.name)).toEqual(['beta', 'delta']);
      await expect(store.listRepositories({ limit: 2, sort: 'name', order: 'asc', cursor: 'garbage' })).rejects.toThrow(/cursor/);
    });

    it('indexes a push: image, artifact, tag, counts', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.recordManifestPush(push({ digest: digest(1), tag: 'v1', size: 1234, at: at(5) }));
      const repo = (await store.getRepository('team'))!;
      expect(repo.imageCount).toBe(1);
      const image = (await store.getImage(repo.id, 'app'))!;
      expect(image).toMatchObject({ artifactCount: 1, tagCount: 1, pushedAt: at(5), lastModifiedAt: at(5), createdBy: 'tester' });
      const artifacts = await store.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' });
      expect(artifacts.items).toHaveLength(1);
      expect(artifacts.items[0]).toMatchObject({ digest: digest(1), size: 1234, tags: ['v1'], pullCount: 0 });
    });

    it('moves a tag to a new digest and keeps the old artifact untagged', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.recordManifestPush(push({ digest: digest(1), tag: 'latest', at: at(1) }));
      await store.recordManifestPush(push({ digest: digest(2), tag: 'latest', at: at(2) }));
      const image = (await store.getImage((await store.getRepository('team'))!.id, 'app'))!;
      expect(image.artifactCount).toBe(2);
      expect(image.tagCount).toBe(1);
      const items = (await store.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items;
      expect(items.map((a) => [a.digest, a.tags])).toEqual([
        [digest(2), ['latest']],
        [digest(1), []],
      ]);
      expect(await store.tagMap(image.id)).toEqual(new Map([['latest', digest(2)]]));
    });

    it('hides the children of an index from the top-level list and lists them under it', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      const platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
      await store.recordManifestPush(push({ digest: digest(11), size: 10, platforms: [platform] }));
      await store.recordManifestPush(push({ digest: digest(12), size: 20 }));
      await store.recordManifestPush(
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
      const image = (await store.getImage((await store.getRepository('team'))!.id, 'app'))!;
      expect(image.artifactCount).toBe(1);
      const [index] = (await store.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items;
      expect(index!.children.map((c) => [c.digest, c.platform])).toEqual([
        [digest(11), platform],
        [digest(12), null],
      ]);
    });

    it('adds pull tallies to image, artifact and tag, keeping the latest time', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.recordManifestPush(push({ digest: digest(1), tag: 'v1', at: at(1) }));
      const tally = (count: number, t: string) => ({
        repository: 'team',
        image: 'app',
        count,
        lastAt: t,
        artifacts: new Map([[digest(1), { count, lastAt: t }]]),
        tags: new Map([['v1', { count, lastAt: t }]]),
      });
      await store.applyPulls([tally(3, at(30))]);
      await store.applyPulls([tally(2, at(20))]);
      const image = (await store.getImage((await store.getRepository('team'))!.id, 'app'))!;
      expect(image).toMatchObject({ pullCount: 5, pulledAt: at(30), lastModifiedAt: at(30) });
      const [a] = (await store.listArtifacts(image.id, { limit: 10, sort: 'pushedAt', order: 'desc' })).items;
      expect(a).toMatchObject({ pullCount: 5, pulledAt: at(30) });
      const [t] = (await store.listTags(image.id, { limit: 10, sort: 'name', order: 'asc' })).items;
      expect(t).toMatchObject({ name: 'v1', pullCount: 5, pulledAt: at(30), digest: digest(1) });
    });

    it('sorts and pages images by pull count with ties broken stably', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      for (let i = 0; i < 7; i++) await store.recordManifestPush(push({ image: `img${i}`, digest: digest(100 + i), tag: 'v' }));
      const repoId = (await store.getRepository('team'))!.id;
      await store.applyPulls(
        [0, 1, 2, 3, 4, 5, 6].map((i) => ({ repository: 'team', image: `img${i}`, count: i % 3, lastAt: at(9), artifacts: new Map(), tags: new Map() })),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listImages(repoId, { limit: 3, sort: 'pullCount', order: 'desc', cursor });
        seen.push(...page.items.map((i) => `${i.name}:${i.pullCount}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const counts = seen.map((s) => Number(s.split(':')[1]));
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    });

    it('removes an artifact and its tags on delete', async () => {
      await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.recordManifestPush(push({ digest: digest(1), tag: 'v1' }));
      await store.recordManifestPush(push({ digest: digest(2), tag: 'v2' }));
      expect(await store.recordManifestDelete({ repository: 'team', image: 'app', digest: digest(1), at: at(3) })).toBe(true);
      const image = (await store.getImage((await store.getRepository('team'))!.id, 'app'))!;
      expect(image).toMatchObject({ artifactCount: 1, tagCount: 1 });
      expect(await store.recordManifestDelete({ repository: 'team', image: 'app', digest: digest(1), at: at(3) })).toBe(false);
    });

    it('finds a repository user by secret hash and applies patches', async () => {
      const repo = await store.createRepository({ name: 'team', description: '', at: at(0), actor: 'a' });
      const u = await store.createRepositoryUser({
        repositoryId: repo.id,
        name: 'ci',
        permission: 'pull',
        secretHash: 'h1',
        expiresAt: null,
        at: at(0),
        actor: 'a',
      });
      expect((await store.findRepositoryUserBySecret('h1'))?.name).toBe('ci');
      await store.updateRepositoryUser(u.id, { secretHash: 'h2', permission: 'push', disabled: true });
      expect(await store.findRepositoryUserBySecret('h1')).toBeNull();
      expect(await store.findRepositoryUserBySecret('h2')).toMatchObject({ permission: 'push', disabled: true, repository: 'team' });
      await expect(
        store.createRepositoryUser({ repositoryId: repo.id, name: 'ci', permission: 'pull', secretHash: 'h3', expiresAt: null, at: at(0), actor: 'a' }),
      ).rejects.toThrow(/already exists/);
    });

    it('keeps a setting once set', async () => {
      expect(await store.initSetting('k', 'first')).toBe('first');
      expect(await store.initSetting('k', 'second')).toBe('first');
    });
  });
}
