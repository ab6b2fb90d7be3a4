import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { randomToken } from '../services/secrets.ts';
import type { Identity } from '../services/identity.ts';

/** One entry of a registry token's `access` claim. */
export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenClaims {
  identity: Identity;
  access: Access[];
}

/**
 * Registry tokens for the front door (Docker token auth). Signed HS256 with a key derived
 * from Berth's secret key, so every instance sharing that key accepts them.
 */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secretKey: string,
    readonly service: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = createHmac('sha256', secretKey).update('berth registry token v1').digest();
  }

  async issue(identity: Identity | null, access: Access[]): Promise<{ token: string; expiresIn: number; issuedAt: string }> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ access, idt: identity ?? undefined })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('berth')
      .setAudience(this.service)
      .setSubject(identity ? subject(identity) : '')
      .setIssuedAt(now)
      .setNotBefore(now - 1)
      .setExpirationTime(now + this.ttlSeconds)
      .setJti(randomToken(12))
      .sign(this.key);
    return { token, expiresIn: this.ttlSeconds, issuedAt: new Date(now * 1000).toISOString() };
  }

  /** Verifies a token; null for a bad, expired or foreign one. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'berth', audience: this.service, clockTolerance: 30 });
      const identity = payload.idt as Identity | undefined;
      if (!identity) return null;
      return { identity, access: (payload.access as Access[] | undefined) ?? [] };
    } catch {
      return null;
    }
  }
}

function subject(identity: Identity): string {
  return identity.kind === 'account' ? identity.username : identity.repository;
}

/** Parses `repository:name:pull,push` scopes (space- or repeat-separated). */
export function parseScopes(values: string[]): Access[] {
  const out: Access[] = [];
  for (const value of values.flatMap((v) => v.split(' ')).filter(Boolean)) {
    const first = value.indexOf(':');
    const last = value.lastIndexOf(':');
    if (first <= 0 || last <= first) continue;
    out.push({ type: value.slice(0, first), name: value.slice(first + 1, last), actions: value.slice(last + 1).split(',').filter(Boolean) });
  }
  return out;
}
