import type { Response } from 'express';
import { OciError } from '@berth/oci';
import type { UpstreamProxy, UpstreamReply } from './proxy.ts';

/** Relays an upstream reply; an upstream that refuses Berth's own credentials is a 502. */
export async function relay(proxy: UpstreamProxy, res: Response, reply: UpstreamReply): Promise<void> {
  if (reply.status === 401) {
    await reply.body.dump();
    throw new OciError('UNAVAILABLE', 'the upstream registry refused Berth\u2019s credentials', undefined, 502);
  }
  await proxy.relay(res, reply);
}

/** One header of an upstream reply (the first, when repeated). */
export function headerOf(reply: UpstreamReply, name: string): string | undefined {
  const v = reply.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
