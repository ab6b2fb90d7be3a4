import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { relay } from '../relay.ts';

/**
 * The artifact (or tag) is Deleting while the upstream works on the DELETE: it leaves the
 * index when the upstream deleted it (202) or has no such manifest (404); any other answer
 * leaves it Inactive. The client gets the upstream's answer either way.
 */
export function deleteManifest(deps: FrontDoorDeps): Handler {
  return async ({ req, res, target }) => {
    if (target.kind !== 'manifest') throw new Error('deleteManifest serves manifest targets only');
    const { repository, image } = target;
    const remove = async () => {
      const reply = await deps.proxy.send(req, req.originalUrl);
      return { answer: reply.status === 202 ? 'deleted' : reply.status === 404 ? 'absent' : 'refused', result: reply } as const;
    };
    const reply =
      target.reference.kind === 'digest'
        ? await deps.indexer.deleteManifest(repository, image, target.reference.digest, remove)
        : await deps.indexer.deleteTag(repository, image, target.reference.tag, remove);
    await relay(deps.proxy, res, reply);
  };
}
