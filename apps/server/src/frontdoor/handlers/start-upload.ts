import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { allowed } from '../checks/access.ts';
import { relay } from '../relay.ts';

/**
 * Starts a blob upload. A cross-repository mount is only offered from an image the caller
 * may pull; otherwise the mount parameters are dropped and the upload starts plainly.
 */
export function startUpload(deps: FrontDoorDeps): Handler {
  return async ({ req, res, caller }) => {
    const url = new URL(req.originalUrl, 'http://berth');
    const from = url.searchParams.get('from');
    if (url.searchParams.has('mount') && (!from || !allowed(caller, from, 'pull'))) {
      url.searchParams.delete('mount');
      url.searchParams.delete('from');
    }
    await relay(deps.proxy, res, await deps.proxy.send(req, url.pathname + url.search));
  };
}
