import { describe, expect, it } from 'vitest';
import type { Store } from '../types.ts';
import { at, digest, openEach, push, type OpenStore } from './fixtures.ts';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** What the registry API reads from the store: tag names page by page, and the referrers of a digest with their descriptors. */
export function referrersSuite(label: string, open: OpenStore): void {
  describe(`store tag names and referrers: ${label}`, () => {
    let store: Store;
    openEach(open, (s) => (store = s));

    const imageId = async () => (await store.images.get((await store.repositories.id('team'))!, 'app'))!.id;

    it('pages tag names in byte order, after `last`, at most `limit`', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      // Byte order puts upper case before lower case and `-` before digits, whatever the database's collation.
      for (const [i, tag] of ['b', 'a', 'B', 'a-1', 'a1', '_x'].entries()) await store.images.recordPush(push({ digest: digest(i + 1), tag }));
      const id = await imageId();
      expect(await store.images.tagNames(id, null)).toEqual(['B', '_x', 'a', 'a-1', 'a1', 'b']);
      expect(await store.images.tagNames(id, 2)).toEqual(['B', '_x']);
      expect(await store.images.tagNames(id, 2, '_x')).toEqual(['a', 'a-1']);
      expect(await store.images.tagNames(id, null, 'a1')).toEqual(['b']);
      expect(await store.images.tagNames(id, 10, 'b')).toEqual([]);
      // `last` need not be a tag that exists.
      expect(await store.images.tagNames(id, 10, 'a0')).toEqual(['a1', 'b']);
      expect(await store.images.tagNames(id, 0)).toEqual([]);
    });

    it('lists the artifacts whose subject is a digest, with what was recorded at push', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(1), tag: 'v1' }));
      const sbom = { manifestSize: 512, configMediaType: 'application/vnd.oci.empty.v1+json', annotations: { 'org.example.kind': 'sbom' } };
      await store.images.recordPush(push({ digest: digest(3), subject: digest(1), artifactType: 'application/spdx+json', descriptor: sbom }));
      const signature = { manifestSize: 300, configMediaType: 'application/vnd.oci.image.config.v1+json', annotations: null };
      await store.images.recordPush(push({ digest: digest(2), subject: digest(1), descriptor: signature }));
      // Another subject's referrer is not listed.
      await store.images.recordPush(push({ digest: digest(4), subject: digest(9), descriptor: signature }));
      const id = await imageId();
      expect(await store.images.referrers(id, digest(1))).toEqual([
        { digest: digest(2), mediaType: MANIFEST, artifactType: null, descriptor: signature },
        { digest: digest(3), mediaType: MANIFEST, artifactType: 'application/spdx+json', descriptor: sbom },
      ]);
      expect(await store.images.referrers(id, digest(5))).toEqual([]);
    });

    it('keeps a descriptor when the same manifest is recorded again without one, and takes a new one', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      const first = { manifestSize: 300, configMediaType: 'application/vnd.oci.image.config.v1+json', annotations: { a: '1' } };
      await store.images.recordPush(push({ digest: digest(2), subject: digest(1), descriptor: first }));
      await store.images.recordPush(push({ digest: digest(2), subject: digest(1), tag: 'sig' }));
      const id = await imageId();
      expect((await store.images.referrers(id, digest(1)))[0]!.descriptor).toEqual(first);
      const second = { ...first, annotations: { a: '2' } };
      await store.images.recordPush(push({ digest: digest(2), subject: digest(1), descriptor: second }));
      expect((await store.images.referrers(id, digest(1)))[0]!.descriptor).toEqual(second);
    });

    it('fills the descriptor of an artifact recorded without one', async () => {
      await store.repositories.create({ name: 'team', description: '', at: at(0), actor: 'a' });
      await store.images.recordPush(push({ digest: digest(2), subject: digest(1) }));
      const id = await imageId();
      expect(await store.images.referrers(id, digest(1))).toEqual([{ digest: digest(2), mediaType: MANIFEST, artifactType: null, descriptor: null }]);
      const filled = { manifestSize: 41, configMediaType: null, annotations: null };
      expect(await store.images.setDescriptor(id, digest(2), filled)).toBe(true);
      expect((await store.images.referrers(id, digest(1)))[0]!.descriptor).toEqual(filled);
      expect(await store.images.setDescriptor(id, digest(7), filled)).toBe(false);
    });
  });
}
