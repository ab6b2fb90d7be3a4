import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every repository user secret key, so scanners and Berth can tell one apart. */
export const SECRET_PREFIX = 'brt_';

/** A new secret key: 256 random bits. */
export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Hash stored for a secret key. Secret keys carry 256 random bits, so a fast hash is
 * as safe as a slow KDF here and lets Berth find the key's user in one index lookup.
 * Human passwords use argon2id instead (see accounts).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeSecret(value: string): boolean {
  return value.startsWith(SECRET_PREFIX) && value.length === SECRET_PREFIX.length + 43;
}

/** A random opaque token (session ids, CSRF tokens). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
