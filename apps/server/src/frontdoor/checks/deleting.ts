import { OciError, sha256Digest } from '@berth/oci';
import type { Store } from '@berth/store';
import type { Check } from '../context.ts';

/**
 * No manifest lands on what is being deleted: a PUT whose digest, or whose tag, is
 * `Deleting` in Berth's index is refused (`DENIED`, try again once the delete is done).
 * Otherwise a push in the moment between a delete's start and the registry's answer would
 * be deleted with it (a delete by digest takes every tag on the digest).
 */
export function notBeingDeleted(store: Store): Check {
  return async ({ req, target, body }) => {
    if (target.kind !== 'manifest' || req.method !== 'PUT') return null;
    const repositoryId = await store.repositories.id(target.repository);
    const image = repositoryId === null ? null : await store.images.get(repositoryId, target.image);
    if (!image) return null;
    const ref = target.reference;
    const digest = ref.kind === 'digest' ? ref.digest : sha256Digest(await body());
    const [artifact, tag] = await Promise.all([store.images.getArtifact(image.id, digest), ref.kind === 'tag' ? store.images.getTag(image.id, ref.tag) : null]);
    if (artifact?.status === 'Deleting') return new OciError('DENIED', `${digest} of ${target.name} is being deleted; push again once that is done`);
    if (tag?.status === 'Deleting') return new OciError('DENIED', `tag ${tag.name} of ${target.name} is being deleted; push again once that is done`);
    return null;
  };
}
