// Masking: a finding shows which secret it is without showing the secret.

/** Longest masked form; longer secrets are shown as their prefix and this many characters in all. */
export const MASK_MAX_LENGTH = 20;

/**
 * Keeps the first characters of `secret` (at most 4, and never more than a quarter of it,
 * so a short password shows almost nothing) and replaces the rest with `*`, capped at
 * `MASK_MAX_LENGTH` characters in all.
 */
export function maskSecret(secret: string): string {
  const keep = Math.min(4, Math.floor(secret.length / 4));
  const stars = Math.max(1, Math.min(secret.length, MASK_MAX_LENGTH) - keep);
  return secret.slice(0, keep) + '*'.repeat(stars);
}
