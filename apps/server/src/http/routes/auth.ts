import express, { type Router } from 'express';
import rateLimit from 'express-rate-limit';
import { createAccountRequest, loginRequest, type Account, type Me } from '@berth/api';
import type { AccountRecord } from '@berth/store';
import type { AccountService } from '../../services/accounts.ts';
import { apiAuth, requireAdmin, SESSION_COOKIE, who } from '../auth.ts';
import { ApiError } from '../../errors.ts';

/** Sign in, sign out, and who am I. Login attempts are rate-limited per address. */
export function authRoutes(accounts: AccountService, opts: { loginRateLimit: number; secureCookies: boolean; publicHost: () => string }): Router {
  const router = express.Router();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: opts.loginRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: () => {
      throw new ApiError('TOO_MANY_REQUESTS', 'too many sign-in attempts; try again in a minute');
    },
  });

  router.post('/auth/login', limiter, async (req, res) => {
    const body = loginRequest.parse(req.body);
    const account = await accounts.verifyAccount(body.username, body.password);
    if (!account) throw new ApiError('INVALID_CREDENTIALS', 'incorrect username or password');
    // A fresh session id every time; whatever session the browser carried before ends.
    const before = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (before) await accounts.endSession(before);
    const s = await accounts.startSession(account);
    res.cookie(SESSION_COOKIE, s.sessionId, {
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookies,
      path: '/',
      expires: s.expiresAt,
    });
    const me: Me = { username: account.username, role: account.role, csrfToken: s.csrfToken, publicHost: opts.publicHost() };
    res.json(me);
  });

  router.post('/auth/logout', async (req, res) => {
    const sessionId = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (sessionId) await accounts.endSession(sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/auth/me', apiAuth(accounts), (req, res) => {
    const identity = who(req);
    if (identity.kind !== 'account') throw new ApiError('FORBIDDEN', 'not a console account');
    const me: Me = { username: identity.username, role: identity.role, ...(req.csrfToken ? { csrfToken: req.csrfToken } : {}), publicHost: opts.publicHost() };
    res.json(me);
  });

  const view = (a: AccountRecord): Account => ({ username: a.username, role: a.role, disabled: a.disabled, createdAt: a.createdAt });
  router.get('/accounts', apiAuth(accounts), requireAdmin, async (_req, res) => {
    res.json({ items: (await accounts.list()).map(view) });
  });
  router.post('/accounts', apiAuth(accounts), requireAdmin, async (req, res) => {
    const body = createAccountRequest.parse(req.body);
    res.status(201).json(view(await accounts.createAccount(who(req), body.username, body.password, body.role)));
  });

  return router;
}
