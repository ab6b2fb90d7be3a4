import type { Store } from '@berth/store';
import type { AccountService } from '../services/accounts.ts';
import { nowIso } from '../services/clock.ts';
import type { Identity } from '../services/identity.ts';
import type { Access, TokenService } from './tokens.ts';

export type Caller =
  | { via: 'anonymous' }
  | { via: 'invalid' }
  | { via: 'basic'; identity: Identity }
  | { via: 'bearer'; identity: Identity; access: Access[] };

/** Splits an `Authorization: Basic …` value into username and password. */
export function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header || !/^basic /i.test(header)) return null;
  const raw = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = raw.indexOf(':');
  if (colon < 0) return null;
  return { username: raw.slice(0, colon), password: raw.slice(colon + 1) };
}

/**
 * Resolves the caller of a /v2 request. A token's identity is checked against the
 * store on every request, so a disabled, expired, deleted or downgraded repository
 * user loses access at once, whatever token it still holds.
 */
export async function authenticate(
  header: string | undefined,
  deps: { store: Store; accounts: AccountService; tokens: TokenService },
): Promise<Caller> {
  if (!header) return { via: 'anonymous' };
  if (/^bearer /i.test(header)) {
    const claims = await deps.tokens.verify(header.slice(7).trim());
    if (!claims) return { via: 'invalid' };
    const identity = await current(claims.identity, deps.store);
    return identity ? { via: 'bearer', identity, access: claims.access } : { via: 'invalid' };
  }
  const basic = parseBasic(header);
  if (!basic) return { via: 'invalid' };
  const identity = await deps.accounts.authenticate(basic.username, basic.password);
  return identity ? { via: 'basic', identity } : { via: 'invalid' };
}

async function current(identity: Identity, store: Store): Promise<Identity | null> {
  if (identity.kind === 'account') {
    const account = await store.accounts.get(identity.username);
    if (!account || account.disabled || account.id !== identity.accountId) return null;
    return { kind: 'account', accountId: account.id, username: account.username, role: account.role };
  }
  const user = await store.repositoryUsers.getById(identity.userId);
  if (!user || user.disabled || user.repository !== identity.repository) return null;
  if (user.expiresAt && user.expiresAt <= nowIso()) return null;
  return { kind: 'repository-user', userId: user.id, name: user.name, repository: user.repository, permission: user.permission };
}
