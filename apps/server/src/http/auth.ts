import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountService } from '../services/accounts.ts';
import type { Identity } from '../services/identity.ts';
import { safeEqual } from '../services/secrets.ts';
import { parseBasic } from '../frontdoor/authenticate.ts';
import { ApiError } from '../errors.ts';

export const SESSION_COOKIE = 'berth_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-serve-static-core' {
  interface Request {
    identity?: Identity;
    csrfToken?: string;
  }
}

/**
 * Authenticates /api/v1 calls: the console's session cookie (mutations must echo the
 * session's CSRF token in `X-CSRF-Token`), or HTTP Basic with a console account for
 * scripts (no cookie, so no CSRF to guard against).
 */
export function apiAuth(accounts: AccountService): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const sessionId = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const basic = parseBasic(req.headers.authorization);
    if (basic) {
      const account = await accounts.verifyAccount(basic.username, basic.password);
      if (!account) throw new ApiError('INVALID_CREDENTIALS', 'incorrect username or password');
      req.identity = { kind: 'account', accountId: account.id, username: account.username, role: account.role };
      return next();
    }
    if (sessionId) {
      const session = await accounts.session(sessionId);
      if (session) {
        if (!SAFE_METHODS.has(req.method)) {
          const sent = req.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
            throw new ApiError('CSRF_FAILED', 'missing or wrong X-CSRF-Token header');
          }
        }
        req.identity = { kind: 'account', accountId: session.accountId, username: session.username, role: session.role };
        req.csrfToken = session.csrfToken;
        return next();
      }
    }
    throw new ApiError('UNAUTHENTICATED', 'sign in first');
  };
}

/** Lets only admins through (mutations); viewers read. */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  const who = req.identity;
  if (!who || who.kind !== 'account' || who.role !== 'admin') {
    throw new ApiError('FORBIDDEN', 'this action needs the admin role');
  }
  next();
};

/** The caller, after apiAuth. */
export function who(req: Request): Identity {
  if (!req.identity) throw new ApiError('UNAUTHENTICATED', 'sign in first');
  return req.identity;
}
