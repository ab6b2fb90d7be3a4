import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/** How long Berth waits on a client before it hangs up (BERTH_*_TIMEOUT_MS). */
export interface ServerTimeouts {
  /** A request's headers must all have arrived this long after its connection or its previous request. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /**
   * A request body is cut when, over one span of this length, fewer than
   * `bodyMinBytesPerSecond × span` bytes arrived while Berth was waiting for them. 0: never.
   */
  bodyTimeoutMs: number;
  bodyMinBytesPerSecond: number;
}

/**
 * The HTTP server Berth listens with, guarded against clients that hold connections open
 * without sending (slowloris): headers that trickle in, bodies that trickle in, idle
 * keep-alive connections. There is no limit on a whole request's time (`requestTimeout` is
 * off): a large blob upload that keeps streaming may take as long as it needs.
 */
export function createHttpServer(t: ServerTimeouts): http.Server {
  const server = http.createServer({
    requestTimeout: 0,
    headersTimeout: t.headersTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // Node checks the headers deadline on this interval (30 s by default): often enough that
    // the deadline holds within a tenth of it.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(t.headersTimeoutMs / 10))),
  });
  if (t.bodyTimeoutMs > 0) {
    const minBytes = Math.ceil((t.bodyMinBytesPerSecond * t.bodyTimeoutMs) / 1000);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => guardBody(req, res, t.bodyTimeoutMs, minBytes));
  }
  return server;
}

/** A request that says it has a body (a length above zero, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? '0');
  return Number.isFinite(length) && length > 0;
}

/**
 * Watches the body of `req` in spans of `spanMs`: a span in which fewer than `minBytes`
 * reached the socket, while nothing it had already received was waiting to be read (so the
 * client was the slow side, not Berth or the registry behind it), ends the request with 408
 * and closes the connection.
 */
function guardBody(req: IncomingMessage, res: ServerResponse, spanMs: number, minBytes: number): void {
  if (!hasBody(req) || req.complete) return;
  // As it came: the app's routers rewrite req.url under their mount paths.
  const url = req.url ?? '/';
  const socket = req.socket;
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) return stop();
    const arrived = socket.bytesRead - seen;
    seen = socket.bytesRead;
    if (arrived >= minBytes || req.readableLength > 0 || socket.readableLength > 0) return;
    stop();
    cut(url, req, res);
  }, spanMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  req.once('end', stop);
  req.once('close', stop);
  res.once('close', stop);
}

const TOO_SLOW = 'the request body arrived too slowly; the connection is closed';

/** The 408 body in the form the caller reads: OCI errors on /v2, Berth's API error elsewhere. */
function tooSlowBody(url: string): string {
  if (url.startsWith('/v2/')) {
    const code = url.includes('/blobs/uploads/') ? 'BLOB_UPLOAD_INVALID' : 'MANIFEST_INVALID';
    return JSON.stringify({ errors: [{ code, message: TOO_SLOW }] });
  }
  return JSON.stringify({ error: { code: 'REQUEST_TIMEOUT', message: TOO_SLOW } });
}

/**
 * Answers 408 when nothing was answered yet, fails the request's body stream (so whatever
 * reads it — the proxy streaming it upstream, a body parser — stops), and closes the
 * connection. Node forgets a request once its answer is written, so without the explicit
 * destroy a reader would wait on the rest of the body forever.
 */
function cut(url: string, req: IncomingMessage, res: ServerResponse): void {
  const socket = res.socket;
  if (!res.headersSent) {
    const body = tooSlowBody(url);
    res.shouldKeepAlive = false;
    res.writeHead(408, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  }
  req.destroy(Object.assign(new Error(TOO_SLOW), { code: 'ERR_BODY_TOO_SLOW' }));
  // The answer is flushed first when the client reads it; one that does not read is dropped.
  socket?.end();
  setTimeout(() => socket?.destroy(), 1000).unref();
}
