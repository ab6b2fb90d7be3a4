import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { at, digest, openEach, push, type OpenStore } from './fixtures.ts';

/** Pull counts: tallies added to image, artifact and tag. `open` gives a fresh, migrated store for each test. */
export function pullsSuite(label: string, open: OpenStore): void {
  describe(`store pulls: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

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
  });
}
