/**
 * A raw HTTP client for Berth's /v2 as the OCI conformance suite drives a registry: one
 * Bearer token, paths with `<name>` filled in, nothing a real client library would smooth
 * over (no retries, no redirects followed, no digest checks).
 */

/** One answer from /v2, its body read whole (conformance content is small). */
export interface V2Reply {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The body as JSON (throws when it is not). */
  json<T = unknown>(): T;
  /** The `Location` header as a path with its query, as the suite follows it. */
  location(): string;
  /** The first OCI error code in the body, or null. */
  errorCode(): string | null;
}

export interface V2RequestOptions {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** The OCI error codes the distribution spec defines; an error body must use one of them. */
export const SPEC_ERROR_CODES = [
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'MANIFEST_UNVERIFIED',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'SIZE_INVALID',
  'TAG_INVALID',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED',
];

export class V2Client {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /**
   * Sends `method` to `path` (a path under the server, `/v2/...`, which may carry a query
   * already, as upload locations do) with `opts.query` added.
   */
  async send(method: string, path: string, opts: V2RequestOptions = {}): Promise<V2Reply> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { authorization: `Bearer ${this.token}`, ...opts.headers },
      body: opts.body,
    });
    const body = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      headers: res.headers,
      body,
      json: <T>() => JSON.parse(body.toString('utf8')) as T,
      location() {
        const raw = res.headers.get('location');
        if (!raw) throw new Error(`${method} ${path} answered ${res.status} without a Location`);
        const loc = new URL(raw, url);
        return loc.pathname + loc.search;
      },
      errorCode() {
        try {
          const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string }[] };
          return parsed.errors?.[0]?.code ?? null;
        } catch {
          return null;
        }
      },
    };
  }

  /** Pushes a blob the way each workflow's setup does: POST for a session, then one PUT with the bytes. */
  async pushBlob(name: string, blob: { bytes: Buffer; digest: string }): Promise<V2Reply> {
    const started = await this.send('POST', `/v2/${name}/blobs/uploads/`);
    if (started.status !== 202) throw new Error(`upload start answered ${started.status}: ${started.body.toString()}`);
    return this.send('PUT', started.location(), {
      query: { digest: blob.digest },
      headers: { 'content-type': 'application/octet-stream' },
      body: blob.bytes,
    });
  }

  /** PUTs a manifest under `reference` (a tag or a digest). */
  async putManifest(name: string, reference: string, manifest: { bytes: Buffer }, mediaType: string): Promise<V2Reply> {
    return this.send('PUT', `/v2/${name}/manifests/${reference}`, { headers: { 'content-type': mediaType }, body: manifest.bytes });
  }
}
