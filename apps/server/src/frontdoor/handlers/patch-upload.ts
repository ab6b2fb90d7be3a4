import { OciError } from '@berth/oci';
import type { Handler } from '../context.ts';
import type { FrontDoorDeps } from '../deps.ts';
import type { UpstreamReply } from '../proxy.ts';
import { headerOf, relay } from '../relay.ts';
import { contentRangeStart, uploadOffset } from '../upload-range.ts';

/** Headers of the registry's upload status that a refused chunk is answered with. */
const SESSION_HEADERS = ['location', 'range', 'docker-upload-uuid'];

/**
 * A chunk of a blob upload (`PATCH` with `Content-Range`) goes to the registry only when it
 * starts where the session ends; otherwise it is answered 416 `BLOB_UPLOAD_INVALID` with the
 * session's `Range` and `Location`, nothing written, and the session goes on with the right
 * chunk. Distribution 2.8 appends whatever arrives, so an out-of-order chunk would corrupt
 * the blob: Berth asks the registry where the session stands (a GET on it, no body) before
 * streaming the chunk, on every upstream alike. A PATCH without `Content-Range` (the
 * streamed upload docker and podman make) is appended as sent. The chunk itself is
 * streamed, never held.
 */
export function patchUpload(deps: FrontDoorDeps): Handler {
  return async ({ req, res }) => {
    const header = req.headers['content-range'];
    if (header === undefined) return relay(deps.proxy, res, await deps.proxy.send(req, req.originalUrl));
    const start = contentRangeStart(header);
    const status = await deps.proxy.send(req, req.originalUrl, { method: 'GET', headers: { 'content-length': '0' } });
    if (status.status !== 204 && status.status !== 200) {
      // An unknown or expired session: the registry's own answer, the chunk dropped.
      req.resume();
      return relay(deps.proxy, res, status);
    }
    await status.body.dump();
    const offset = uploadOffset(headerOf(status, 'range'), headerOf(status, 'location'));
    if (start !== null && (offset === null || start === offset)) {
      const reply = await deps.proxy.send(req, req.originalUrl);
      // A registry that refuses the chunk itself (the embedded one, when the offset was not
      // plain from its status) is answered with where to go on, as Berth's own refusal is.
      const location = status.headers.location;
      if (reply.status === 416 && reply.headers.location === undefined && location !== undefined) reply.headers.location = location;
      return relay(deps.proxy, res, reply);
    }
    req.resume();
    deps.proxy.writeHead(res, sessionHeaders(status));
    throw new OciError(
      'BLOB_UPLOAD_INVALID',
      start === null ? 'Content-Range must be <start>-<end>' : `the chunk starts at ${start}, but the upload holds ${offset} bytes: send the chunk that starts there`,
      { contentRange: header, ...(offset !== null ? { offset } : {}) },
      416,
    );
  };
}

/** The registry's upload status cut down to the headers that say where the session stands. */
function sessionHeaders(status: UpstreamReply): UpstreamReply {
  const headers: Record<string, string | string[]> = {};
  for (const h of SESSION_HEADERS) {
    const v = status.headers[h];
    if (v !== undefined) headers[h] = v;
  }
  return { ...status, status: 416, headers };
}
