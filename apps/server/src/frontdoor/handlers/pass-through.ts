import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { relay } from '../relay.ts';

/** Everything without a handler of its own: streamed to the upstream and back. */
export function passThrough(deps: FrontDoorDeps): Handler {
  return async ({ req, res }) => relay(deps.proxy, res, await deps.proxy.send(req, req.originalUrl));
}
