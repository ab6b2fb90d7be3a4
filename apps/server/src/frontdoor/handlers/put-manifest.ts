import { digestLike, ManifestError, OciError, parseDigest, parseManifest, sha256Digest } from '@berth/oci';
import { nowIso } from '../../services/clock.ts';
import { actorName } from '../../services/identity.ts';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { headerOf, relay } from '../relay.ts';

/**
 * Validates a manifest (≤ 4 MiB, parseable, matching the digest in the URL), sends it
 * upstream, indexes it once stored (with what the referrers API lists of it) and answers
 * `OCI-Subject` for a manifest with a subject; after the client has its answer, the push
 * event (scan on push) follows.
 */
export function putManifest(deps: FrontDoorDeps): Handler {
  return async ({ req, res, target, identity, body: readBody }) => {
    if (target.kind !== 'manifest') throw new Error('putManifest serves manifest targets only');
    const body = await readBody();
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
    let stored: string | null = null;
    if (reply.status === 201) {
      stored = headerOf(reply, 'docker-content-digest') ?? digest ?? sha256Digest(body);
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
    // The distribution spec's answer to a manifest with a subject, which distribution 2.8 does
    // not send: the subject is listed by Berth's referrers API. The registry's own header,
    // when it sends one, replaces this one as the reply is relayed.
    if (stored !== null && manifest.subject) res.setHeader('oci-subject', manifest.subject.digest);
    await relay(deps.proxy, res, reply);
    if (stored !== null) {
      const event = { repository: target.repository, image: target.image, digest: stored };
      void deps.pushed(event).catch((err: unknown) => deps.log.warn({ err, name: target.name }, 'a push event failed'));
    }
  };
}
