import { OCI_ERRORS, OciError, type OciErrorCode } from '@berth/oci';
import { ApiError } from '../../errors.ts';
import { DeleteRefused } from '../../services/deletes.ts';
import { actorName } from '../../services/identity.ts';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { passThrough } from './pass-through.ts';

/**
 * A manifest DELETE follows the same rules as a delete in the console (the lock check
 * runs before this): deleting a tag removes that tag only, on every registry; deleting a
 * digest removes the artifact with its tags. A locked one is refused with `DENIED` (403); one
 * that an artifact which stays lists or refers to with `UNSUPPORTED` (405, naming the
 * referrer): the registry does not delete it while it is referenced, the answer the OCI spec
 * gives for a manifest delete a registry will not do (clients and the conformance suite take
 * it as such, where 403 would read as missing permission). What Berth has not indexed yet
 * goes to the registry as it is.
 */
export function deleteManifest(deps: FrontDoorDeps): Handler {
  const proxy = passThrough(deps);
  return async (ctx) => {
    const { res, target, identity } = ctx;
    if (target.kind !== 'manifest') throw new Error('deleteManifest serves manifest targets only');
    const repositoryId = await deps.store.repositories.id(target.repository);
    const record = repositoryId === null ? null : await deps.store.images.get(repositoryId, target.image);
    const ref = target.reference;
    const known =
      record !== null &&
      (ref.kind === 'tag' ? (await deps.store.images.getTag(record.id, ref.tag)) !== null : (await deps.store.images.getArtifact(record.id, ref.digest)) !== null);
    if (!record || !known) return proxy(ctx);
    const who = { actor: actorName(identity), via: 'v2' as const };
    const image = { repository: target.repository, image: target.image, record };
    let outcome;
    try {
      outcome =
        ref.kind === 'tag'
          ? await deps.deletes.deleteTag(who, image, ref.tag)
          : (await deps.deletes.deleteArtifact(who, image, ref.digest, { followers: false })).results[0]!;
    } catch (err) {
      if (err instanceof DeleteRefused) throw new OciError(err.kind === 'referenced' ? 'UNSUPPORTED' : 'DENIED', err.message, err.details);
      // Gone between the look-up above and the delete (another delete won).
      if (err instanceof ApiError && err.code === 'ARTIFACT_NOT_FOUND') throw new OciError('MANIFEST_UNKNOWN', 'manifest unknown', { reference: target.raw });
      throw err;
    }
    if (outcome.outcome === 'absent') throw new OciError('MANIFEST_UNKNOWN', 'manifest unknown', { reference: target.raw });
    if (outcome.outcome === 'refused') {
      const status = outcome.registry?.status ?? 502;
      const code = outcome.registry?.code;
      // The registry refusing Berth's own credentials is Berth's failure, not the client's: 502.
      if (status === 401 || status === 403 || !code || !(code in OCI_ERRORS)) {
        throw new OciError('UNAVAILABLE', outcome.message ?? 'the registry refused the delete', undefined, 502);
      }
      throw new OciError(code as OciErrorCode, outcome.message ?? 'the registry refused the delete', undefined, status);
    }
    res.status(202).end();
  };
}
