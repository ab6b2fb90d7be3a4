import type { Request, RequestHandler } from 'express';
import { ApiError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing /api call that a browser sent on behalf of another site. The
 * session cookie is `SameSite=Strict` and needs the CSRF token besides, but a browser also
 * replays HTTP Basic credentials it once prompted for (an admin who opened `/metrics`),
 * and those need no token. So a call whose `Sec-Fetch-Site` (set by the browser, beyond a
 * page's reach) is not `same-origin`, or, from a browser too old to send it, whose `Origin`
 * is neither Berth's public origin nor the host the call was sent to, changes nothing.
 * Scripts (curl, CI) send neither header and are not affected.
 */
export function sameOriginOnly(publicOrigin: (req: Request) => string): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string') {
      if (site === 'same-origin' || site === 'none') return next();
      throw new ApiError('CSRF_FAILED', `a ${site} request may not change anything`);
    }
    const origin = req.headers.origin;
    if (typeof origin === 'string' && origin !== publicOrigin(req) && hostOf(origin) !== req.headers.host) {
      throw new ApiError('CSRF_FAILED', 'a request from another origin may not change anything');
    }
    next();
  };
}

/** The host (with port) of an Origin value; null for `null` or anything unparseable. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}
