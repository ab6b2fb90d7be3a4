// Checks a blob against its digest while it streams past, so a layer is read only once.
import { createHash } from 'node:crypto';

/** A blob whose bytes do not hash to the digest its manifest gives. */
export class DigestMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`layer ${expected} is corrupt: its content hashes to ${actual}`);
    this.name = 'DigestMismatchError';
  }
}

const HASHES: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

/**
 * Passes `source` through, counting its bytes into `onBytes` and hashing them; when it
 * ends, throws {@link DigestMismatchError} unless the hash is `digest`. A digest of an
 * algorithm Berth does not know fails before the first byte. Aborting `signal` fails the
 * stream at the next chunk.
 */
export async function* verifyDigest(
  source: AsyncIterable<Uint8Array | string>,
  digest: string,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const at = digest.indexOf(':');
  const algorithm = HASHES[digest.slice(0, at)];
  if (at <= 0 || !algorithm) throw new Error(`layer digest ${digest} uses an algorithm Berth cannot check`);
  const hash = createHash(algorithm);
  for await (const raw of source) {
    signal?.throwIfAborted();
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    hash.update(chunk);
    onBytes?.(chunk.length);
    yield chunk;
  }
  const actual = `${digest.slice(0, at)}:${hash.digest('hex')}`;
  if (actual !== digest) throw new DigestMismatchError(digest, actual);
}
