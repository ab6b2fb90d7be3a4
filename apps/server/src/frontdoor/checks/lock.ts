import { OciError, sha256Digest } from '@berth/oci';
import { lockVerdict, type ManifestChange } from '@berth/policy';
import type { Store } from '@berth/store';
import type { Check } from '../context.ts';

/**
 * Image and tag locks on manifest PUT and DELETE (OCI `DENIED`, saying what is locked).
 * Read from the store on every request, so a lock set on any Berth instance holds on all
 * of them at once. A PUT to a locked tag is let through only when it re-pushes the digest
 * the tag already points at; that needs the manifest's bytes, which the check reads (the
 * handler gets the same bytes).
 */
export function lock(store: Store): Check {
  return async ({ req, target, body }) => {
    if (target.kind !== 'manifest') return null;
    const locks = await store.locks.stateByName(target.repository, target.image);
    if (!locks || (!locks.imageLocked && locks.lockedTags.size === 0)) return null;
    const ref = target.reference;
    let change: ManifestChange;
    if (req.method === 'PUT') {
      const tag = ref.kind === 'tag' ? ref.tag : null;
      const current = tag === null ? null : (locks.lockedTags.get(tag) ?? null);
      // Only a locked tag's re-push needs the digest of what is pushed.
      const digest = ref.kind === 'digest' ? ref.digest : current !== null && !locks.imageLocked ? sha256Digest(await body()) : '';
      change = { kind: 'push', tag, digest, currentDigest: current };
    } else if (ref.kind === 'tag') {
      change = { kind: 'delete-tag', tag: ref.tag };
    } else {
      const tags = [...locks.lockedTags].filter(([, d]) => d === ref.digest).map(([t]) => t);
      change = { kind: 'delete-artifact', digest: ref.digest, tags };
    }
    const refusal = lockVerdict({ imageLocked: locks.imageLocked, lockedTags: new Set(locks.lockedTags.keys()) }, change, target.name);
    return refusal ? new OciError('DENIED', refusal.message, { locked: refusal.locked, ...(refusal.tag ? { tag: refusal.tag } : {}) }) : null;
  };
}
