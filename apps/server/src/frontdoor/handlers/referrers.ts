import { MediaType } from '@berth/oci';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { referrerDescriptor, referrerIndex, type ReferrerDescriptor } from '../referrer-index.ts';

/**
 * The referrers API (`GET /v2/<name>/referrers/<digest>[?artifactType=]`) from Berth's
 * store, on every upstream alike: distribution 2.8 has no such endpoint, and one answer
 * from the store behaves the same on the embedded registry. It lists the manifests pushed
 * through Berth (or imported by reconciliation) whose `subject` is the digest; a digest
 * nothing refers to has an empty list. Artifacts indexed before Berth kept descriptors are
 * read from the registry once and recorded.
 */
export function referrers(deps: FrontDoorDeps): Handler {
  return async ({ req, res, target }) => {
    if (target.kind !== 'referrers') throw new Error('referrers serves referrers targets only');
    const artifactType = new URL(req.originalUrl, 'http://berth').searchParams.get('artifactType') || null;
    const repositoryId = await deps.store.repositories.id(target.repository);
    const image = repositoryId === null ? null : await deps.store.images.get(repositoryId, target.image);
    const descriptors: ReferrerDescriptor[] = [];
    if (image) {
      for (const record of await deps.store.images.referrers(image.id, target.digest)) {
        const descriptor = record.descriptor ?? (await deps.indexer.describe(target.repository, target.image, image.id, record.digest));
        if (descriptor) descriptors.push(referrerDescriptor(record, descriptor));
      }
    }
    res.status(200).setHeader('content-type', MediaType.OciIndex);
    if (artifactType !== null) res.setHeader('oci-filters-applied', 'artifactType');
    // A Buffer, so the media type goes out as it is (a string would gain `; charset=utf-8`).
    res.send(Buffer.from(JSON.stringify(referrerIndex(descriptors, artifactType))));
  };
}
