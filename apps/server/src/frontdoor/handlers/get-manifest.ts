import { isIndexMediaType, MANIFEST_ACCEPT, parseManifest } from '@berth/oci';
import { nowIso } from '../../services/clock.ts';
import { actorName } from '../../services/identity.ts';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { headerOf, relay } from '../relay.ts';

/**
 * A manifest GET or HEAD, relayed; a GET that succeeds is counted as a pull (after the
 * reply, batched). An index is read whole so its children's GETs that follow count as
 * the same pull.
 */
export function getManifest(deps: FrontDoorDeps): Handler {
  return async ({ req, res, target, caller }) => {
    if (target.kind !== 'manifest') throw new Error('getManifest serves manifest targets only');
    if (!req.headers.accept) req.headers.accept = MANIFEST_ACCEPT;
    const reply = await deps.proxy.send(req, req.originalUrl);
    if (req.method !== 'GET' || reply.status !== 200) return relay(deps.proxy, res, reply);
    const mediaType = headerOf(reply, 'content-type') ?? '';
    const digest = headerOf(reply, 'docker-content-digest');
    let children: string[] | null = null;
    if (isIndexMediaType(mediaType)) {
      const body = Buffer.from(await reply.body.arrayBuffer());
      deps.proxy.writeHead(res, reply);
      res.end(body);
      try {
        const parsed = parseManifest(body, mediaType);
        if (parsed.kind === 'index') children = parsed.manifests.map((m) => m.digest);
      } catch {
        children = [];
      }
    } else {
      await relay(deps.proxy, res, reply);
    }
    if (!digest) return;
    const who = caller.via === 'basic' || caller.via === 'bearer' ? actorName(caller.identity) : 'anonymous';
    deps.pulls.record({
      repository: target.repository,
      image: target.image,
      digest,
      tag: target.reference.kind === 'tag' ? target.reference.tag : null,
      client: `${who}|${req.ip ?? ''}`,
      children,
      at: nowIso(),
    });
  };
}
