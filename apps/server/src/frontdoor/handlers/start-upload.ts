import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { allowed } from '../checks/access.ts';
import { headerOf, relay } from '../relay.ts';

/**
 * Starts a blob upload. A cross-repository mount is only offered from an image the caller
 * may pull; otherwise the mount parameters are dropped and the upload starts plainly.
 *
 * A single-request push (`POST ?digest=` with the blob as body) is answered the same on
 * every upstream: distribution 2.8 ignores the digest and the body and opens a session, so
 * Berth opens the session with an empty POST and streams the body into it as the closing
 * `PUT ?digest=`: 201 with the blob's Location, or the registry's refusal of the digest.
 */
export function startUpload(deps: FrontDoorDeps): Handler {
  return async ({ req, res, caller }) => {
    const url = new URL(req.originalUrl, 'http://berth');
    const from = url.searchParams.get('from');
    if (url.searchParams.has('mount') && (!from || !allowed(caller, from, 'pull'))) {
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
    }
    const digest = url.searchParams.get('digest');
    if (digest === null || url.searchParams.has('mount')) {
      await relay(deps.proxy, res, await deps.proxy.send(req, url.pathname + url.search));
      return;
    }
    url.searchParams.delete('digest');
    const session = await deps.proxy.send(req, url.pathname + url.search, { body: Buffer.alloc(0) });
    const location = headerOf(session, 'location');
    if (session.status !== 202 || !location) {
      await relay(deps.proxy, res, session);
      return;
    }
    await session.body.dump();
    const put = new URL(location, 'http://upstream');
    put.searchParams.set('digest', digest);
    await relay(deps.proxy, res, await deps.proxy.send(req, put.pathname + put.search, { method: 'PUT' }));
  };
}
