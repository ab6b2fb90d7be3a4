import { createHash } from 'node:crypto';

const ALGORITHMS: Record<string, { hex: number; node: string }> = {
  sha256: { hex: 64, node: 'sha256' },
  sha512: { hex: 128, node: 'sha512' },
};

/** A validated content digest, `algorithm:hex`. */
export interface Digest {
  algorithm: string;
  hex: string;
  value: string;
}

/** Parses a digest string; returns null when it is malformed or uses an unknown algorithm. */
export function parseDigest(value: string): Digest | null {
  const at = value.indexOf(':');
  if (at <= 0) return null;
  const algorithm = value.slice(0, at);
  const hex = value.slice(at + 1);
  const spec = ALGORITHMS[algorithm];
  if (!spec || hex.length !== spec.hex || !/^[a-f0-9]+$/.test(hex)) return null;
  return { algorithm, hex, value };
}

export function isDigest(value: string): boolean {
  return parseDigest(value) !== null;
}

/** sha256 digest of a byte buffer, as `sha256:<hex>`. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Digest of `data` with the same algorithm as `like`. */
export function digestLike(like: Digest, data: Uint8Array): string {
  const spec = ALGORITHMS[like.algorithm];
  if (!spec) throw new Error(`unsupported digest algorithm ${like.algorithm}`);
  return `${like.algorithm}:${createHash(spec.node).update(data).digest('hex')}`;
}

