import type { Request, Response } from 'express';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { OciError } from '@berth/oci';
import type { ExchangeReply, ExchangeRequestOptions } from '@berth/registry';
import { UploadStates } from './upload-states.ts';

/**
 * Reply headers of the distribution API that reach the client; everything else the
 * upstream sends stays at the door: cookies, CORS, CSP or HSTS from a registry must not
 * speak for Berth's origin, and its challenge is Berth's to give.
 */
const RELAYED = new Set([
  'content-type',
  'content-length',
  'content-range',
  'content-encoding',
  'accept-ranges',
  'range',
  'etag',
  'last-modified',
  'cache-control',
  'location',
  'link',
  'retry-after',
  'docker-content-digest',
  'docker-upload-uuid',
  'oci-subject',
  'oci-filters-applied',
  'oci-chunk-min-length',
  'x-content-type-options',
]);

/** Request headers a registry needs; everything else a client sends stays at the door. */
const FORWARDED = ['accept', 'content-type', 'content-length', 'content-range', 'range', 'if-none-match', 'user-agent', 'docker-upload-uuid'];

export interface UpstreamReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable & {
    dump(): Promise<void>;
    arrayBuffer(): Promise<ArrayBuffer>;
    /** Streams into `dest` and reuses each chunk's memory once written (the embedded registry's replies). */
    pipeTo?(dest: Writable): Promise<void>;
  };
}

/** Sends a request to a registry in this process (the embedded one's worker), no HTTP in between. */
export type LocalUpstream = (opts: ExchangeRequestOptions) => Promise<ExchangeReply>;

/**
 * Streams requests to the upstream registry with Berth's own credentials. Bodies are
 * piped both ways, never held whole, so memory stays flat whatever the blob size.
 */
export class UpstreamProxy {
  private readonly origin: string;
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 256, headersTimeout: 120_000, bodyTimeout: 0 });
  /** Distribution's newest upload `_state` per session, sent in place of a stale one (see upload-states.ts). */
  private readonly uploads = new UploadStates();

  constructor(
    baseUrl: string,
    private readonly authorization: () => string | undefined,
    /** Told how many request-body bytes were sent upstream (metrics). */
    private readonly onBytesIn: (n: number) => void = () => undefined,
    /** Told of each upstream request that failed or answered 5xx (metrics): the registry's errors, not Berth's own. */
    private readonly onUpstreamError: () => void = () => undefined,
    /** The embedded registry's worker: /v2 traffic goes to it over a MessagePort, not loopback HTTP. */
    private readonly local?: LocalUpstream,
  ) {
    this.origin = new URL(baseUrl).origin;
  }

  /**
   * Sends `req` (with `body` instead of its stream, and as `method`, when given) to the upstream path.
   * A client that goes away aborts the upstream request.
   */
  async send(
    req: Request,
    path: string,
    opts: { body?: Buffer; headers?: Record<string, string>; method?: string } = {},
  ): Promise<UpstreamReply> {
    const headers: Record<string, string> = {};
    for (const h of FORWARDED) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    Object.assign(headers, opts.headers);
    const auth = this.authorization();
    if (auth) headers.authorization = auth;
    if (typeof req.id === 'string') headers['x-request-id'] = req.id;

    const method = (opts.method ?? req.method) as Dispatcher.HttpMethod;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    let body: Buffer | Request | undefined;
    let chunked = false;
    if (opts.body) {
      body = opts.body;
      headers['content-length'] = String(opts.body.byteLength);
      this.onBytesIn(opts.body.byteLength);
    } else if (hasBody && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)) {
      // The request itself is the body: a counting stream in between measurably slowed
      // uploads, so bytes are counted from Content-Length, or for a chunked PATCH from the
      // range the registry says it now holds.
      body = req;
      const declared = Number(req.headers['content-length'] ?? 'NaN');
      if (Number.isFinite(declared)) this.onBytesIn(declared);
      else chunked = true;
    }
    const abort = new AbortController();
    const res = req.res!;
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);
    try {
      const url = this.uploads.current(path);
      const reply = this.local
        ? await this.local({ method, url, headers, body, signal: abort.signal })
        : await request(this.origin + url, { method, headers, body, dispatcher: this.agent, signal: abort.signal });
      if (chunked) this.onBytesIn(receivedBytes(req.headers['content-range'], reply.headers.range));
      if (reply.statusCode >= 500) this.onUpstreamError();
      return { status: reply.statusCode, headers: reply.headers as Record<string, string | string[]>, body: reply.body };
    } catch (err) {
      if (abort.signal.aborted) throw new OciError('BLOB_UPLOAD_INVALID', 'the client closed the connection', undefined, 499);
      this.onUpstreamError();
      const unavailable = new OciError('UNAVAILABLE', 'the upstream registry is not reachable', undefined, 502);
      unavailable.cause = err;
      throw unavailable;
    } finally {
      res.off('close', onClose);
    }
  }

  /** Copies the upstream's status and headers, rewriting `Location` to Berth's own paths. */
  writeHead(res: Response, reply: UpstreamReply): void {
    res.status(reply.status);
    for (const [k, v] of Object.entries(reply.headers)) {
      if (!RELAYED.has(k)) continue;
      if (k === 'location' && typeof v === 'string') {
        this.uploads.remember(v);
        res.setHeader(k, this.rewriteLocation(v));
      } else res.setHeader(k, v);
    }
  }

  /** Streams the reply to the client. */
  async relay(res: Response, reply: UpstreamReply): Promise<void> {
    this.writeHead(res, reply);
    if (reply.body.pipeTo) await reply.body.pipeTo(res);
    else await pipeline(reply.body, res);
  }

  private rewriteLocation(location: string): string {
    if (location.startsWith(this.origin)) return location.slice(this.origin.length) || '/';
    return location;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Bytes a chunked upload request carried: the registry's new range end minus where it began. */
function receivedBytes(contentRange: string | undefined, range: string | string[] | undefined): number {
  const end = /^(?:bytes=)?0-(\d+)$/.exec(Array.isArray(range) ? (range[0] ?? '') : (range ?? ''));
  if (!end) return 0;
  const start = /^(?:bytes )?(\d+)-/.exec(contentRange ?? '');
  return Math.max(0, Number(end[1]) + 1 - (start ? Number(start[1]) : 0));
}
