import { describe, expect, it } from 'vitest';
import type { PullRestriction, ScanSettings } from '@berth/api';
import type { KyselyStore } from '../kysely-store.ts';
import type { ScanOutcome } from '../types.ts';
import { at, digest, openEach, push, type OpenStore } from './fixtures.ts';

const zero = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };
const done = (over: Partial<Extract<ScanOutcome, { status: 'done' }>> = {}): ScanOutcome => ({
  status: 'done',
  at: at(20),
  report: '{"platforms":[]}',
  packages: 12,
  platforms: [{ digest: digest(1), platform: 'linux/amd64', os: 'debian', packages: 12 }],
  dbVersion: 'db-1',
  dbUpdatedAt: at(5),
  counts: { ...zero, critical: 2, high: 3, low: 1 },
  fixable: { critical: 1, high: 3 },
  secrets: 1,
  ...over,
});
const restriction: PullRestriction = { enabled: true, refuseUnscanned: true, criticalLimit: 1, highLimit: null, ignoreWithoutFix: false };
const settings: ScanSettings = { scanOnPush: true, exclude: { languagePackages: false, secrets: true, withoutFix: false, atOrBelow: 'low' } };

/** Scan settings, pull restrictions and artifact scans. `open` gives a fresh, migrated store for each test. */
export function scansSuite(label: string, open: OpenStore): void {
  describe(`store scans: ${label}`, () => {
    let store: KyselyStore;
    openEach(open, (s) => (store = s));
    const setUp = async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1', at: at(1) }));
      await store.images.recordPush(push({ digest: digest(2), tag: 'v2', at: at(2) }));
      const repositoryId = (await store.repositories.id('team'))!;
      return { repositoryId, imageId: (await store.images.get(repositoryId, 'app'))!.id };
    };

    it('keeps scan settings and pull restrictions per image and per repository, and drops them again', async () => {
      const { repositoryId, imageId } = await setUp();
      expect(await store.scans.imageSettings(imageId)).toEqual({ scan: null, pull: null });
      await store.scans.putImageScanSettings(imageId, settings);
      await store.scans.putRepositoryPullRestriction(repositoryId, restriction);
      expect(await store.scans.imageSettings(imageId)).toEqual({ scan: settings, pull: null });
      expect(await store.scans.repositorySettings(repositoryId)).toEqual({ scan: null, pull: restriction });
      await store.scans.putImageScanSettings(imageId, null);
      expect((await store.scans.imageSettings(imageId)).scan).toBeNull();
      // Images that inherit and have results recount when the default changes.
      await store.images.recordPush(push({ image: 'own', digest: digest(5), tag: 'v1', at: at(3) }));
      const own = (await store.images.get(repositoryId, 'own'))!.id;
      await store.scans.putImageScanSettings(own, settings);
      expect(await store.scans.imagesInheritingScanSettings(repositoryId)).toEqual([]);
      for (const [id, d] of [[imageId, digest(1)], [own, digest(5)]] as const) {
        await store.scans.request(id, [d], at(4));
        await store.scans.start(id, d, at(4));
        await store.scans.finish(id, d, done());
      }
      expect(await store.scans.imagesInheritingScanSettings(repositoryId)).toEqual(['app']);
    });

    it('queues a scan once, runs it, and keeps its counts, platforms and report', async () => {
      const { imageId } = await setUp();
      expect(await store.scans.request(imageId, [digest(1), digest(2), digest(99)], at(10))).toEqual([digest(1), digest(2)]);
      // Already waiting: not queued twice.
      expect(await store.scans.request(imageId, [digest(1)], at(11))).toEqual([]);
      expect(await store.scans.get(imageId, digest(1))).toMatchObject({ status: 'queued', requestedAt: at(10), scannedAt: null, counts: zero });
      expect(await store.scans.start(imageId, digest(1), at(12))).toBe(true);
      await store.scans.progress(imageId, digest(1), 42.4);
      expect(await store.scans.get(imageId, digest(1))).toMatchObject({ status: 'scanning', startedAt: at(12), progress: 42 });
      expect(await store.scans.request(imageId, [digest(1)], at(13))).toEqual([]);
      await store.scans.finish(imageId, digest(1), done());
      expect(await store.scans.get(imageId, digest(1))).toEqual({
        artifactId: expect.any(Number),
        imageId,
        digest: digest(1),
        status: 'done',
        requestedAt: at(10),
        startedAt: at(12),
        scannedAt: at(20),
        progress: 100,
        error: null,
        dbVersion: 'db-1',
        dbUpdatedAt: at(5),
        counts: { ...zero, critical: 2, high: 3, low: 1 },
        fixable: { critical: 1, high: 3 },
        packages: 12,
        secrets: 1,
        platforms: [{ digest: digest(1), platform: 'linux/amd64', os: 'debian', packages: 12 }],
      });
      expect(await store.scans.report(imageId, digest(1))).toBe('{"platforms":[]}');
      await store.scans.recount(imageId, digest(1), { counts: { ...zero, critical: 2 }, fixable: { critical: 1, high: 0 }, secrets: 0 });
      expect(await store.scans.get(imageId, digest(1))).toMatchObject({ counts: { ...zero, critical: 2 }, fixable: { critical: 1, high: 0 }, secrets: 0, packages: 12 });
      expect((await store.scans.doneInImage(imageId)).map((s) => s.digest)).toEqual([digest(1)]);
      // A new request of a done scan queues it again and keeps the old results until the new ones land.
      expect(await store.scans.request(imageId, [digest(1)], at(30))).toEqual([digest(1)]);
      expect(await store.scans.get(imageId, digest(1))).toMatchObject({ status: 'queued', counts: { ...zero, critical: 2 } });
      const both = await store.scans.byDigests(imageId, [digest(1), digest(2), digest(3)]);
      expect([...both.keys()].sort()).toEqual([digest(1), digest(2)]);
    });

    it('records a failed or unsupported scan with why', async () => {
      const { imageId } = await setUp();
      await store.scans.request(imageId, [digest(2)], at(10));
      await store.scans.start(imageId, digest(2), at(11));
      await store.scans.finish(imageId, digest(2), { status: 'unsupported', at: at(12), error: 'application/vnd.cncf.helm.config.v1+json is not a container image' });
      expect(await store.scans.get(imageId, digest(2))).toMatchObject({ status: 'unsupported', error: expect.stringContaining('helm'), scannedAt: at(12) });
      expect(await store.scans.report(imageId, digest(2))).toBeNull();
    });

    it('answers the pull check in one read: by tag or digest, with both restrictions and the scan', async () => {
      const { repositoryId, imageId } = await setUp();
      await store.scans.putRepositoryPullRestriction(repositoryId, restriction);
      expect(await store.scans.pullState('team', 'app', { tag: 'v1' })).toEqual({ imageRestriction: null, repositoryRestriction: restriction, artifact: { digest: digest(1), scan: null } });
      await store.scans.request(imageId, [digest(1)], at(10));
      await store.scans.start(imageId, digest(1), at(11));
      await store.scans.finish(imageId, digest(1), done());
      await store.scans.putImagePullRestriction(imageId, { ...restriction, criticalLimit: 5 });
      const byDigest = await store.scans.pullState('team', 'app', { digest: digest(1) });
      expect(byDigest).toEqual({
        imageRestriction: { ...restriction, criticalLimit: 5 },
        repositoryRestriction: restriction,
        artifact: { digest: digest(1), scan: { status: 'done', hasResults: true, error: null, counts: { ...zero, critical: 2, high: 3, low: 1 }, fixable: { critical: 1, high: 3 } } },
      });
      // A rescan asked for keeps the last results for the check.
      await store.scans.request(imageId, [digest(1)], at(30));
      expect((await store.scans.pullState('team', 'app', { tag: 'v1' }))!.artifact!.scan).toMatchObject({ status: 'queued', hasResults: true, counts: { critical: 2 } });
      await store.scans.request(imageId, [digest(2)], at(30));
      expect((await store.scans.pullState('team', 'app', { tag: 'v2' }))!.artifact!.scan).toMatchObject({ status: 'queued', hasResults: false });
      expect((await store.scans.pullState('team', 'app', { tag: 'nope' }))!.artifact).toBeNull();
      expect((await store.scans.pullState('team', 'app', { digest: digest(7) }))!.artifact).toBeNull();
      expect(await store.scans.pullState('team', 'other', { tag: 'v1' })).toBeNull();
      expect(await store.scans.pullState('elsewhere', 'app', { tag: 'v1' })).toBeNull();
    });

    it('finds done scans of recently pulled artifacts matched against another database, and drops scans with their artifact', async () => {
      const { imageId } = await setUp();
      for (const d of [digest(1), digest(2)]) {
        await store.scans.request(imageId, [d], at(10));
        await store.scans.start(imageId, d, at(11));
        await store.scans.finish(imageId, d, done({ dbVersion: d === digest(1) ? 'db-1' : 'db-2' }));
      }
      const t = (n: number) => ({ count: 1, lastAt: at(n) });
      await store.pulls.apply([{ repository: 'team', image: 'app', count: 2, lastAt: at(40), artifacts: new Map([[digest(1), t(40)], [digest(2), t(40)]]), tags: new Map() }]);
      expect(await store.scans.staleSince(at(30), 'db-2', 10)).toEqual([{ repository: 'team', image: 'app', imageId, digest: digest(1) }]);
      expect(await store.scans.staleSince(at(50), 'db-2', 10)).toEqual([]);
      expect(await store.scans.staleSince(at(30), 'db-3', 1)).toHaveLength(1);
      expect(await store.images.recordDelete({ repository: 'team', image: 'app', digest: digest(1), at: at(50) })).toBe(true);
      expect(await store.scans.get(imageId, digest(1))).toBeNull();
      expect(await store.scans.report(imageId, digest(1))).toBeNull();
      // Finishing the scan of an artifact deleted meanwhile changes nothing.
      await store.scans.finish(imageId, digest(1), done());
      expect(await store.scans.get(imageId, digest(1))).toBeNull();
    });
  });
}
