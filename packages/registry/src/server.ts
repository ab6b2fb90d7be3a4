import { timingSafeEqual, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { manifestTooLarge, MAX_MANIFEST_BYTES, MediaType, OciError, parseReference, parseV2Path, type V2Target } from '@berth/oci';
import { storageFault } from './fsutil.ts';
import { collectGarbage, type GcOptions, type GcReport } from './gc.ts';
import { RangeMismatch, RegistryStorage } from './storage.ts';

/** Manifests larger than this are refused with 413, as the OCI spec allows. */
export { MAX_MANIFEST_BYTES };

/** The subset of pino's logger the registry uses. */
export interface RegistryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RegistryOptions {
  /** Storage directory (created when missing). */
  root: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, every request needs HTTP Basic with these. */
  credentials?: { username: string; password: string };
  /** Upload sessions untouched this long are removed (default 24 h), checked every `uploadSweepMs`. */
  uploadTtlMs?: number;
  uploadSweepMs?: number;
  log?: RegistryLogger;
}

/** A running embedded registry, in this thread or in a worker. */
export interface RegistryHandle {
  /** `http://HOST:PORT`, no trailing slash. */
  url: string;
  /** `HOST:PORT`, as image references spell it. */
  host: string;
  port: number;
  root: string;
  collectGarbage(opts?: GcOptions): Promise<GcReport>;
  /** Stops accepting, waits for requests in flight (up to `timeoutMs`), then closes. */
  close(timeoutMs?: number): Promise<void>;
}

/** What the handler reads of a request: an IncomingMessage, or one carried over from Berth's thread. */
export type RegistryRequest = Readable & {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly complete: boolean;
};

/** What the handler writes of a response: a ServerResponse, or one carried back to Berth's thread. */
export type RegistryResponse = Writable & {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  writeHead(status: number, headers?: Record<string, string | number>): unknown;
  /** Sends bytes `start`..`end` of a file as the body, when the response can do better than a piped read stream. */
  sendFile?(file: string, start: number, end: number): Promise<void>;
};

/** The embedded registry in this thread, with its storage at hand (tests, tools). */
export interface EmbeddedRegistry extends RegistryHandle {
  storage: RegistryStorage;
  /** Serves one request without HTTP (the worker, for requests carried from Berth's thread). */
  handle(req: RegistryRequest, res: RegistryResponse): Promise<void>;
}

const silent: RegistryLogger = { info() {}, warn() {}, error() {} };

/** Starts Berth's embedded OCI registry on its own HTTP listener. */
export async function startRegistry(opts: RegistryOptions): Promise<EmbeddedRegistry> {
  const storage = new RegistryStorage(opts.root);
  await storage.init();
  const log = opts.log ?? silent;
  const handler = createHandler(storage, { credentials: opts.credentials, log });
  const server = http.createServer({ highWaterMark: 1 << 20, requestTimeout: 0 } as http.ServerOptions, (req, res) => void handler(req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const host = `${hostPart}:${address.port}`;

  const ttl = opts.uploadTtlMs ?? 24 * 60 * 60 * 1000;
  const sweep = setInterval(
    () => {
      storage.expireUploads(ttl).then(
        (r) => r.count > 0 && log.info({ uploads: r.count, bytes: r.bytes }, 'removed abandoned uploads'),
        (err: unknown) => log.warn({ err }, 'could not remove abandoned uploads'),
      );
    },
    opts.uploadSweepMs ?? Math.min(ttl / 2, 10 * 60 * 1000),
  );
  sweep.unref();

  return {
    url: `http://${host}`,
    host,
    port: address.port,
    root: opts.root,
    storage,
    handle: handler,
    collectGarbage: (gc) => collectGarbage(storage, gc),
    close: (timeoutMs = 10_000) =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

interface HandlerOptions {
  credentials?: { username: string; password: string } | undefined;
  log: RegistryLogger;
}

/** The request handler: the OCI distribution API over {@link RegistryStorage}. */
export function createHandler(storage: RegistryStorage, opts: HandlerOptions): (req: RegistryRequest, res: RegistryResponse) => Promise<void> {
  const expected = opts.credentials ? createHash('sha256').update(`${opts.credentials.username}:${opts.credentials.password}`).digest() : null;

  const authorized = (req: RegistryRequest): boolean => {
    if (!expected) return true;
    const header = req.headers.authorization ?? '';
    if (!header.toLowerCase().startsWith('basic ')) return false;
    const given = createHash('sha256').update(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')).digest();
    return timingSafeEqual(given, expected);
  };

  return async (req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    try {
      if (!authorized(req)) {
        res.setHeader('WWW-Authenticate', 'Basic realm="berth-registry"');
        throw new OciError('UNAUTHORIZED', 'authentication required');
      }
      const target = parseV2Path(rawPath);
      await route(storage, req, res, target, rawPath, query);
    } catch (err) {
      fail(res, err, opts.log, req);
    }
  };
}

function fail(res: RegistryResponse, err: unknown, log: RegistryLogger, req: RegistryRequest): void {
  let e: OciError;
  if (err instanceof OciError) e = err;
  else if (err instanceof RangeMismatch) {
    e = new OciError('BLOB_UPLOAD_INVALID', 'Content-Range does not continue the upload', { size: err.size }, 416);
    res.setHeader('Range', rangeHeader(err.size));
  } else if (storageFault(err)) {
    e = storageFault(err)!;
    log.error({ err, method: req.method, url: req.url }, 'the registry storage cannot write');
    if (!req.complete && !res.headersSent) {
      // The answer waits for the rest of the body, read and dropped: a client (or Berth's
      // proxy) still sending it would otherwise meet a closed connection, not the error.
      const answer = e;
      req.resume();
      finished(req).then(
        () => fail(res, answer, log, req),
        () => res.destroy(),
      );
      return;
    }
  } else if (isClientGone(err, req)) {
    if (!res.headersSent) res.destroy();
    return;
  } else {
    log.error({ err, method: req.method, url: req.url }, 'registry request failed');
    e = new OciError('UNAVAILABLE', 'internal error', undefined, 500);
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(e.body());
  res.writeHead(e.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function isClientGone(err: unknown, req: RegistryRequest): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return req.destroyed || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_UNABLE_TO_PIPE';
}

function rangeHeader(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}

function send(res: RegistryResponse, status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
  res.writeHead(status, { 'Content-Length': body === undefined ? 0 : Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res: RegistryResponse, status: number, value: unknown, headers: Record<string, string> = {}, head = false): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(head ? undefined : body);
}

/** Drains a request body nobody reads, so the connection can be reused. */
function drain(req: RegistryRequest): void {
  req.resume();
}

async function route(storage: RegistryStorage, req: RegistryRequest, res: RegistryResponse, target: V2Target, rawPath: string, query: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) {
      drain(req);
      res.setHeader('Allow', methods.join(', '));
      throw new OciError('UNSUPPORTED', `${method} is not supported here`, undefined, 405);
    }
  };
  switch (target.kind) {
    case 'base':
      allow('GET', 'HEAD');
      return sendJson(res, 200, {}, {}, method === 'HEAD');
    case 'unknown':
      drain(req);
      throw new OciError('NAME_UNKNOWN', 'not found', { path: rawPath }, 404);
    case 'invalid-name':
      drain(req);
      throw new OciError('NAME_INVALID', 'invalid repository name', { name: target.name });
    case 'invalid-reference':
      drain(req);
      throw new OciError(rawPath.includes('/manifests/') ? 'MANIFEST_INVALID' : 'DIGEST_INVALID', 'invalid tag or digest', { reference: target.raw });
    case 'catalog': {
      allow('GET');
      const page = paginate(await storage.repositories(), query, '/v2/_catalog');
      return sendJson(res, 200, { repositories: page.items }, page.link ? { Link: page.link } : {});
    }
    case 'tags': {
      allow('GET');
      const tags = await storage.tags(target.name);
      if (!tags) throw new OciError('NAME_UNKNOWN', 'repository name not known to registry', { name: target.name });
      const page = paginate(tags, query, `/v2/${target.name}/tags/list`);
      return sendJson(res, 200, { name: target.name, tags: page.items }, page.link ? { Link: page.link } : {});
    }
    case 'referrers': {
      allow('GET');
      const artifactType = query.get('artifactType') ?? undefined;
      const manifests = await storage.referrers(target.name, target.digest, artifactType);
      const body = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests };
      const text = JSON.stringify(body);
      return send(res, 200, { 'Content-Type': MediaType.OciIndex, ...(artifactType !== undefined ? { 'OCI-Filters-Applied': 'artifactType' } : {}) }, text);
    }
    case 'manifest':
      allow('GET', 'HEAD', 'PUT', 'DELETE');
      return manifestRoute(storage, req, res, target.name, target, method);
    case 'blob':
      allow('GET', 'HEAD', 'DELETE');
      return blobRoute(storage, req, res, target.name, target.digest, method);
    case 'upload':
      return uploadRoute(storage, req, res, target.name, target.session, method, query, allow);
  }
}

async function manifestRoute(
  storage: RegistryStorage,
  req: RegistryRequest,
  res: RegistryResponse,
  name: string,
  target: Extract<V2Target, { kind: 'manifest' }>,
  method: string,
): Promise<void> {
  if (method === 'GET' || method === 'HEAD') {
    const m = await storage.manifest(name, target.reference);
    if (!m) throw new OciError('MANIFEST_UNKNOWN', 'manifest unknown to registry', { reference: target.raw });
    res.writeHead(200, {
      'Content-Type': m.mediaType,
      'Content-Length': m.body.length,
      'Docker-Content-Digest': m.digest,
      ETag: `"${m.digest}"`,
    });
    res.end(method === 'HEAD' ? undefined : m.body);
    return;
  }
  if (method === 'DELETE') {
    drain(req);
    if (target.reference.kind === 'digest') await storage.deleteManifest(name, target.reference.digest);
    else await storage.deleteTag(name, target.reference.tag);
    return send(res, 202, {});
  }
  const body = await readLimited(req, MAX_MANIFEST_BYTES);
  const put = await storage.putManifest(name, target.reference, body, req.headers['content-type']);
  send(res, 201, {
    Location: `/v2/${name}/manifests/${put.digest}`,
    'Docker-Content-Digest': put.digest,
    ...(put.subject ? { 'OCI-Subject': put.subject } : {}),
  });
}

async function blobRoute(storage: RegistryStorage, req: RegistryRequest, res: RegistryResponse, name: string, digest: string, method: string): Promise<void> {
  drain(req);
  if (method === 'DELETE') {
    await storage.deleteBlob(name, digest);
    return send(res, 202, { 'Docker-Content-Digest': digest });
  }
  const blob = await storage.blob(name, digest);
  if (!blob) throw new OciError('BLOB_UNKNOWN', 'blob unknown to registry', { digest });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': blob.digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${blob.digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
  let start = 0;
  let end = blob.size - 1;
  let status = 200;
  const range = req.headers.range;
  if (range && blob.size > 0) {
    const r = parseRange(range, blob.size);
    if (r === 'unsatisfiable') {
      res.writeHead(416, { 'Content-Range': `bytes */${blob.size}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (r) {
      [start, end] = r;
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${blob.size}`;
    }
  }
  headers['Content-Length'] = blob.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (method === 'HEAD' || blob.size === 0) {
    res.end();
    return;
  }
  if (res.sendFile) await res.sendFile(blob.file, start, end);
  else await pipeline(createReadStream(blob.file, { start, end, highWaterMark: 1 << 20 }), res);
}

/** One `bytes=` range; null to send the whole blob (no or multiple ranges), or unsatisfiable. */
export function parseRange(header: string, size: number): [number, number] | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(size - suffix, 0);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}

async function uploadRoute(
  storage: RegistryStorage,
  req: RegistryRequest,
  res: RegistryResponse,
  name: string,
  session: string | null,
  method: string,
  query: URLSearchParams,
  allow: (...methods: string[]) => void,
): Promise<void> {
  const location = (id: string) => `/v2/${name}/blobs/uploads/${id}`;
  const created = (digest: string) =>
    send(res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
  const accepted = (status: number, id: string, size: number) =>
    send(res, status, { Location: location(id), Range: rangeHeader(size), 'Docker-Upload-UUID': id });

  if (session === null) {
    allow('POST');
    const mount = query.get('mount');
    const from = query.get('from');
    if (mount && from) {
      const fromPath = parseV2Path(`/v2/${from}/tags/list`);
      const d = parseReference(mount);
      if (fromPath.kind === 'tags' && d?.kind === 'digest' && (await storage.mount(name, from, mount))) {
        drain(req);
        return created(mount);
      }
    }
    const digest = query.get('digest');
    const id = await storage.startUpload(name);
    if (digest) {
      // A monolithic upload that fails leaves no session: the client never learnt its id.
      const blob = await storage.completeUpload(name, id, digest, req).catch(async (err: unknown) => {
        await storage.cancelUpload(name, id).catch(() => undefined);
        throw err;
      });
      return created(blob.digest);
    }
    drain(req);
    return accepted(202, id, 0);
  }

  allow('GET', 'PATCH', 'PUT', 'DELETE');
  if (method === 'GET') {
    const size = await storage.uploadSize(name, session);
    if (size === null) throw new OciError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id: session });
    return accepted(204, session, size);
  }
  if (method === 'DELETE') {
    drain(req);
    await storage.cancelUpload(name, session);
    return send(res, 204, {});
  }
  if (method === 'PATCH') {
    const start = contentRangeStart(req.headers['content-range']);
    const size = await storage.appendUpload(name, session, req, start);
    return accepted(202, session, size);
  }
  const digest = query.get('digest');
  if (!digest) {
    drain(req);
    throw new OciError('DIGEST_INVALID', 'the digest query parameter is required to finish an upload');
  }
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const blob = await storage.completeUpload(name, session, digest, hasBody ? req : undefined);
  if (!hasBody) drain(req);
  created(blob.digest);
}

/** The start offset of a PATCH's `Content-Range` (`start-end`, with or without `bytes `). */
function contentRangeStart(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const m = /^(?:bytes )?(\d+)-(\d+)(?:\/\d+|\/\*)?$/.exec(header.trim());
  if (!m) throw new OciError('BLOB_UPLOAD_INVALID', 'Content-Range must be <start>-<end>', { contentRange: header }, 416);
  return Number(m[1]);
}

async function readLimited(req: RegistryRequest, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    drain(req);
    throw manifestTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Read to the end even when too large: leaving the loop early would reset the connection.
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total <= limit) chunks.push(chunk as Buffer);
  }
  if (total > limit) throw manifestTooLarge(limit);
  return Buffer.concat(chunks);
}

/** `n`/`last` paging of a sorted list, with the `Link` to the next page while more remain. */
function paginate(all: string[], query: URLSearchParams, path: string): { items: string[]; link?: string } {
  const last = query.get('last');
  const nRaw = query.get('n');
  let items = last ? all.filter((x) => x > last) : all;
  if (nRaw === null) return { items };
  const n = Number(nRaw);
  if (!Number.isInteger(n) || n < 0) throw new OciError('UNSUPPORTED', 'n must be a non-negative integer', { n: nRaw }, 400);
  const more = items.length > n;
  items = items.slice(0, n);
  if (!more || items.length === 0) return { items };
  const next = new URLSearchParams({ n: String(n), last: items[items.length - 1]! });
  return { items, link: `<${path}?${next.toString()}>; rel="next"` };
}
