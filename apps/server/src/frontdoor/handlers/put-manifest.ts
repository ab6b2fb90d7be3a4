import type { Request } from 'express';
import { digestLike, ManifestError, OciError, parseDigest, parseManifest, sha256Digest } from '@berth/oci';
import { nowIso } from '../../services/clock.ts';
import { actorName } from '../../services/identity.ts';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { headerOf, relay } from '../relay.ts';

/** Largest manifest Berth accepts or indexes (the distribution spec's suggested minimum). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Validates a manifest (≤ 4 MiB, parseable, matching the digest in the URL), sends it upstream, indexes it once stored. */
export function putManifest(deps: FrontDoorDeps): Handler {
  return async ({ req, res, target, identity }) => {
    if (target.kind !== 'manifest') throw new Error('putManifest serves manifest targets only');
    const body = await readBody(req, MAX_MANIFEST_BYTES);
    let manifest;
    try {
      manifest = parseManifest(body, req.headers['content-type']);
    } catch (err) {
      if (err instanceof ManifestError) throw new OciError('MANIFEST_INVALID', err.message);
      throw err;
    }
    let digest: string | undefined;
    if (target.reference.kind === 'digest') {
      const want = parseDigest(target.reference.digest)!;
      digest = digestLike(want, body);
      if (digest !== target.reference.digest) {
        throw new OciError('DIGEST_INVALID', 'the manifest does not match the digest in the URL', { expected: target.reference.digest, actual: digest });
      }
    }
    const reply = await deps.proxy.send(req, req.originalUrl, { body, headers: { 'content-type': manifest.mediaType } });
    if (reply.status === 201) {
      const stored = headerOf(reply, 'docker-content-digest') ?? digest ?? sha256Digest(body);
      try {
        await deps.indexer.manifestPushed({
          repository: target.repository,
          image: target.image,
          digest: stored,
          tag: target.reference.kind === 'tag' ? target.reference.tag : null,
          body,
          manifest,
          at: nowIso(),
          actor: actorName(identity),
        });
      } catch (err) {
        // The upstream holds the manifest; reconciliation will index it.
        deps.log.error({ err, name: target.name }, 'could not index a pushed manifest');
      }
    }
    await relay(deps.proxy, res, reply);
  };
}

/** Reads a request body whole, refusing one larger than `limit` with 413. */
async function readBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => {
    req.resume();
    return new OciError('MANIFEST_INVALID', `manifest is larger than ${limit} bytes`, { limit }, 413);
  };
  if (Number(req.headers['content-length'] ?? '-1') > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
