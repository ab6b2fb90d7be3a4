import type { Request } from 'express';
import { MAX_MANIFEST_BYTES, manifestTooLarge } from '@berth/oci';

export { MAX_MANIFEST_BYTES };

/**
 * Reads a manifest request's body whole, once: the first call reads (refusing more than
 * {@link MAX_MANIFEST_BYTES} with 413), later calls get the same bytes. A check and the
 * handler after it may both ask.
 */
export function manifestBody(req: Request): () => Promise<Buffer> {
  let read: Promise<Buffer> | null = null;
  return () => (read ??= readBody(req, MAX_MANIFEST_BYTES));
}

async function readBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => {
    req.resume();
    return manifestTooLarge(limit);
  };
  if (Number(req.headers['content-length'] ?? '-1') > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
