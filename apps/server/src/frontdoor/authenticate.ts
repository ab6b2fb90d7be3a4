import type { AccountService } from '../services/accounts.ts';
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
 * Resolves the caller of a /v2 request. A token's identity is checked again by the
 * accounts service on every request, so a disabled, expired, deleted or downgraded repository
 * user loses access at once, whatever token it still holds.
 */
export async function authenticate(
  header: string | undefined,
  deps: { accounts: AccountService; tokens: TokenService },
): Promise<Caller> {
  if (!header) return { via: 'anonymous' };
  if (/^bearer /i.test(header)) {
    const claims = await deps.tokens.verify(header.slice(7).trim());
    if (!claims) return { via: 'invalid' };
    const identity = await deps.accounts.current(claims.identity);
    return identity ? { via: 'bearer', identity, access: claims.access } : { via: 'invalid' };
  }
  const basic = parseBasic(header);
  if (!basic) return { via: 'invalid' };
  const identity = await deps.accounts.authenticate(basic.username, basic.password);
  return identity ? { via: 'basic', identity } : { via: 'invalid' };
}
