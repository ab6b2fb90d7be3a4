import { randomUUID } from 'node:crypto';
import { sha256Digest } from './digest.ts';
import { MANIFEST_ACCEPT, MediaType } from './media-types.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** An error answer of a registry, with the OCI error code when the body had one. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  body: Uint8Array;
}

/**
 * A small OCI distribution client for Berth's own calls to a registry (indexing,
 * reconciliation). It speaks Basic and Docker token auth; proxying client traffic
 * does not go through it.
 */
export class RegistryClient {
  private bearer = new Map<string, string>();

  private readonly fetch: typeof fetch;

  /**
   * `opts.fetch` replaces the global fetch for every request this client makes (its token
   * requests too): Berth passes one that refuses addresses and redirects it must not follow.
   */
  constructor(
    readonly baseUrl: string,
    private readonly credentials?: RegistryCredentials,
    private readonly userAgent = 'berth',
    opts: { fetch?: typeof fetch } = {},
  ) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /** Authorization header Berth sends to this registry for `scope`, if it has one ready. */
  authorization(scope = ''): string | undefined {
    const token = this.bearer.get(scope);
    if (token) return `Bearer ${token}`;
    if (this.credentials) {
      const raw = `${this.credentials.username}:${this.credentials.password}`;
      return `Basic ${Buffer.from(raw).toString('base64')}`;
    }
    return undefined;
  }

  /** Performs a request, answering a Bearer challenge once with a token from its realm. */
  async request(path: string, init: RequestInit & { scope?: string } = {}): Promise<Response> {
    const scope = init.scope ?? '';
    const send = () => {
      const headers = new Headers(init.headers);
      headers.set('user-agent', this.userAgent);
      const auth = this.authorization(scope);
      if (auth) headers.set('authorization', auth);
      return this.fetch(new URL(path, this.baseUrl), { redirect: 'follow', ...init, headers });
    };
    let res = await send();
    if (res.status === 401) {
      const challenge = res.headers.get('www-authenticate') ?? '';
      if (/^bearer /i.test(challenge)) {
        await res.arrayBuffer();
        await this.fetchToken(challenge, scope);
        res = await send();
      }
    }
    return res;
  }

  private async fetchToken(challenge: string, scope: string): Promise<void> {
    const params: Record<string, string> = {};
    for (const m of challenge.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
    if (!params.realm) throw new RegistryError(401, 'UNAUTHORIZED', 'registry sent a Bearer challenge without realm');
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    for (const s of (scope || params.scope || '').split(' ').filter(Boolean)) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (this.credentials) {
      const raw = `${this.credentials.username}:${this.credentials.password}`;
      headers.authorization = `Basic ${Buffer.from(raw).toString('base64')}`;
    }
    const res = await this.fetch(url, { headers });
    if (!res.ok) throw new RegistryError(res.status, 'UNAUTHORIZED', `token request failed with ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(401, 'UNAUTHORIZED', 'token response had no token');
    this.bearer.set(scope, token);
  }

  private async fail(res: Response, what: string): Promise<never> {
    let code: string | undefined;
    let message = `${what}: ${res.status}`;
    try {
      const body = (await res.json()) as { errors?: { code?: string; message?: string }[] };
      code = body.errors?.[0]?.code;
      if (body.errors?.[0]?.message) message = `${what}: ${body.errors[0].message}`;
    } catch {
      /* not an OCI error body */
    }
    throw new RegistryError(res.status, code, message);
  }

  /** Every repository name the registry lists, following `Link` paging. */
  async catalog(pageSize = 1000): Promise<string[]> {
    const names: string[] = [];
    let next: string | null = `/v2/_catalog?n=${pageSize}`;
    while (next) {
      const res = await this.request(next, { scope: 'registry:catalog:*' });
      if (!res.ok) await this.fail(res, 'catalog');
      const body = (await res.json()) as { repositories?: string[] | null };
      names.push(...(body.repositories ?? []));
      next = nextLink(res.headers.get('link'));
    }
    return names;
  }

  /**
   * One page of the catalog: up to `n` names after `last`, and whether the registry has more
   * (its `Link` header). A registry that may not list it answers with its error status.
   */
  async catalogPage(n: number, last?: string): Promise<{ names: string[]; more: boolean }> {
    const query = new URLSearchParams({ n: String(n) });
    if (last) query.set('last', last);
    const res = await this.request(`/v2/_catalog?${query}`, { scope: 'registry:catalog:*' });
    if (!res.ok) await this.fail(res, 'catalog');
    const body = (await res.json()) as { repositories?: string[] | null };
    return { names: body.repositories ?? [], more: nextLink(res.headers.get('link')) !== null };
  }

  /**
   * The catalog's names in pages of 1,000 (`n`/`last`), up to about `max` of them;
   * `complete` when the registry said there are no more.
   */
  async catalogUpTo(max: number): Promise<{ names: string[]; complete: boolean }> {
    const names: string[] = [];
    let last: string | undefined;
    while (names.length < max) {
      const page = await this.catalogPage(1000, last);
      names.push(...page.names);
      last = page.names[page.names.length - 1];
      if (!page.more || !last) return { names, complete: true };
    }
    return { names, complete: false };
  }

  /** One page of an image's tags: up to `n` after `last` (a 404 is an error here: the image is not there). */
  async tagsPage(name: string, n: number, last?: string): Promise<{ tags: string[]; more: boolean }> {
    const query = new URLSearchParams({ n: String(n) });
    if (last) query.set('last', last);
    const res = await this.request(`/v2/${name}/tags/list?${query}`, { scope: `repository:${name}:pull` });
    if (!res.ok) await this.fail(res, 'tags');
    const body = (await res.json()) as { tags?: string[] | null };
    const tags = body.tags ?? [];
    if (nextLink(res.headers.get('link')) !== null) return { tags, more: true };
    // A registry that ignores `n` and `last` (distribution 2.8) answers every tag, in no set
    // order: the page is cut from them, sorted, here.
    const after = tags.filter((t) => last === undefined || t > last).sort();
    return { tags: after.slice(0, n), more: after.length > n };
  }

  /** Tags of an image; an image without tags answers `[]` (distribution says `null`). */
  async tags(name: string): Promise<string[]> {
    const tags: string[] = [];
    let next: string | null = `/v2/${name}/tags/list?n=1000`;
    while (next) {
      const res = await this.request(next, { scope: `repository:${name}:pull` });
      if (res.status === 404) {
        await res.arrayBuffer();
        return tags;
      }
      if (!res.ok) await this.fail(res, 'tags');
      const body = (await res.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      next = nextLink(res.headers.get('link'));
    }
    return tags;
  }

  /** A GET or HEAD of a manifest by tag or digest, with the explicit OCI and Docker Accept list. */
  private manifestRequest(name: string, reference: string, method: 'GET' | 'HEAD'): Promise<Response> {
    return this.request(`/v2/${name}/manifests/${reference}`, { method, headers: { accept: MANIFEST_ACCEPT }, scope: `repository:${name}:pull` });
  }

  /** Fetches a manifest by tag or digest. */
  async manifest(name: string, reference: string): Promise<FetchedManifest> {
    const res = await this.manifestRequest(name, reference, 'GET');
    if (!res.ok) await this.fail(res, `manifest ${name}:${reference}`);
    const body = new Uint8Array(await res.arrayBuffer());
    return {
      digest: res.headers.get('docker-content-digest') ?? '',
      mediaType: res.headers.get('content-type') ?? '',
      body,
    };
  }

  /** Whether the registry has the manifest `digest` of `name` (a HEAD: 404 is no, another failure throws). */
  async hasManifest(name: string, digest: string): Promise<boolean> {
    const res = await this.manifestRequest(name, digest, 'HEAD');
    if (res.status === 404) return false;
    if (!res.ok) await this.fail(res, `manifest ${name}@${digest}`);
    return true;
  }

  /** The digest `reference` resolves to (a HEAD), or null when the registry does not have it. */
  async manifestDigest(name: string, reference: string): Promise<string | null> {
    const res = await this.manifestRequest(name, reference, 'HEAD');
    await res.arrayBuffer();
    if (res.status === 404) return null;
    if (!res.ok) await this.fail(res, `manifest ${name}:${reference}`);
    return res.headers.get('docker-content-digest');
  }

  /**
   * Puts `tag` back on `original` if it still points at `placeholder` (a push may have moved
   * it since: that stays); tries three times. True when the tag no longer points at the placeholder.
   */
  private async restoreTag(name: string, tag: string, placeholder: string, original: { body: Uint8Array; mediaType: string }): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if ((await this.manifestDigest(name, tag)) !== placeholder) return true;
        await this.putManifest(name, tag, original.body, original.mediaType);
        return true;
      } catch {
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
    return false;
  }

  /** Fetches a small blob (an image config) whole. */
  async blob(name: string, digest: string, maxBytes = 4 * 1024 * 1024): Promise<Uint8Array> {
    const res = await this.request(`/v2/${name}/blobs/${digest}`, { scope: `repository:${name}:pull` });
    if (!res.ok) await this.fail(res, `blob ${digest}`);
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > maxBytes) {
      await res.body?.cancel();
      throw new RegistryError(413, 'SIZE_INVALID', `blob ${digest} is larger than ${maxBytes} bytes`);
    }
    return new Uint8Array(await res.arrayBuffer());
  }

  /**
   * Streams a blob of any size (a layer), with the same auth as {@link blob}. Aborting
   * `signal` ends the download; so does cancelling the returned stream.
   */
  async blobStream(name: string, digest: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request(`/v2/${name}/blobs/${digest}`, { scope: `repository:${name}:pull`, ...(signal ? { signal } : {}) });
    if (!res.ok) await this.fail(res, `blob ${digest}`);
    if (!res.body) throw new RegistryError(res.status, undefined, `blob ${digest}: the registry sent no body`);
    return res.body;
  }

  /** Deletes the manifest `reference` (a digest: with every tag on it; a tag: that tag, where the registry supports it). */
  async deleteManifest(name: string, reference: string): Promise<DeleteAnswer> {
    const res = await this.request(`/v2/${name}/manifests/${reference}`, { method: 'DELETE', scope: `repository:${name}:delete` });
    return deleteAnswer(res);
  }

  /** Puts a manifest under a tag or digest; returns the digest the registry stored it under. */
  async putManifest(name: string, reference: string, body: Uint8Array, mediaType: string): Promise<string> {
    const res = await this.request(`/v2/${name}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body,
      scope: `repository:${name}:pull,push`,
    });
    if (res.status !== 201) await this.fail(res, `manifest ${name}:${reference}`);
    await res.arrayBuffer();
    return res.headers.get('docker-content-digest') ?? sha256Digest(body);
  }

  /** Uploads a small blob in one request pair (POST, then PUT with the bytes); returns its digest. */
  async pushBlob(name: string, data: Uint8Array): Promise<string> {
    const digest = sha256Digest(data);
    const scope = `repository:${name}:pull,push`;
    const start = await this.request(`/v2/${name}/blobs/uploads/`, { method: 'POST', scope });
    if (start.status !== 202) await this.fail(start, `blob upload to ${name}`);
    await start.arrayBuffer();
    const url = new URL(start.headers.get('location') ?? '', this.baseUrl);
    url.searchParams.set('digest', digest);
    const put = await this.request(url.pathname + url.search, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
      scope,
    });
    if (put.status !== 201) await this.fail(put, `blob upload to ${name}`);
    await put.arrayBuffer();
    return digest;
  }

  /**
   * Removes the tag `tag` of `name` and nothing else: its manifest and that manifest's
   * other tags stay. A registry that deletes tags (OCI distribution v1.1, Berth's embedded
   * one) is asked to. One that cannot (CNCF distribution 2.8 answers 400 DIGEST_INVALID, and
   * its delete by digest takes every tag on the digest) gets the placeholder technique: the
   * tag is moved onto a tiny manifest made only for this delete (the OCI empty config, no
   * layers, a one-off annotation, so no other tag can point at it), and that manifest is
   * deleted by its digest. Should the registry refuse that delete, the tag is put back on
   * the manifest it pointed at, byte for byte. Until the registry's garbage collection runs,
   * the placeholder's 2-byte config stays in storage; for the moment between the steps a
   * pull of the tag gets the placeholder, never another image. A registry with deletes
   * turned off (405) is not touched at all.
   */
  async deleteTag(name: string, tag: string): Promise<DeleteAnswer & { technique: 'tag-delete' | 'placeholder' }> {
    const direct = await this.deleteManifest(name, tag);
    if (direct.answer !== 'refused' || !tagDeleteUnsupported(direct)) return { ...direct, technique: 'tag-delete' };
    const current = await this.manifestRequest(name, tag, 'GET');
    if (current.status === 404) {
      await current.arrayBuffer();
      return { answer: 'absent', status: 404, technique: 'placeholder' };
    }
    if (!current.ok) return { ...(await refusal(current)), technique: 'placeholder' };
    const body = new Uint8Array(await current.arrayBuffer());
    const original = { body, mediaType: current.headers.get('content-type') ?? MediaType.OciManifest, digest: current.headers.get('docker-content-digest') ?? sha256Digest(body) };
    const config = await this.pushBlob(name, EMPTY_JSON);
    const placeholder = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciEmpty, digest: config, size: EMPTY_JSON.byteLength },
        layers: [],
        annotations: { 'io.berth.placeholder': randomUUID() },
      }),
    );
    const digest = await this.putManifest(name, tag, placeholder, MediaType.OciManifest);
    const removed = await this.deleteManifest(name, digest).catch((err: unknown) => ({ answer: 'refused' as const, status: 502, message: String(err) }));
    if (removed.answer === 'refused') {
      // The registry took the placeholder but will not delete it: the tag goes back where it
      // was — unless a push moved it meanwhile (then that push's digest stays).
      const restored = await this.restoreTag(name, tag, digest, original);
      if (!restored) {
        return {
          ...removed,
          message: `${removed.message ?? 'refused'}; the tag could not be put back and now points at an empty placeholder manifest: push ${original.digest} to it again`,
          technique: 'placeholder',
        };
      }
    }
    return { ...removed, technique: 'placeholder' };
  }
}

/**
 * Whether a refused tag delete means "this registry does not delete by tag" — distribution
 * 2.8 answers 400 DIGEST_INVALID — rather than "deletes are off" (405 UNSUPPORTED) or "not
 * allowed", where the placeholder technique must not even start.
 */
function tagDeleteUnsupported(a: DeleteAnswer): boolean {
  return a.status === 400 && a.code === 'DIGEST_INVALID';
}

async function deleteAnswer(res: Response): Promise<DeleteAnswer> {
  if (res.status === 202 || res.status === 200 || res.status === 204) {
    await res.arrayBuffer();
    return { answer: 'deleted', status: res.status };
  }
  if (res.status === 404) {
    const r = await refusal(res);
    // A missing repository or manifest is gone already; a 404 for deletes turned off is not.
    if (r.code === undefined || r.code === 'MANIFEST_UNKNOWN' || r.code === 'NAME_UNKNOWN') return { ...r, answer: 'absent' };
    return r;
  }
  return refusal(res);
}

async function refusal(res: Response): Promise<DeleteAnswer> {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = (await res.json()) as { errors?: { code?: string; message?: string }[] };
    code = body.errors?.[0]?.code;
    message = body.errors?.[0]?.message;
  } catch {
    /* not an OCI error body */
  }
  return { answer: 'refused', status: res.status, code, message };
}

/**
 * How a registry answered a delete: it `deleted` it; it has no such manifest or tag
 * (`absent`); or it `refused` (not allowed, not supported, an error), with its status and
 * OCI error code.
 */
export interface DeleteAnswer {
  answer: 'deleted' | 'absent' | 'refused';
  status: number;
  code?: string | undefined;
  message?: string | undefined;
}

/** The OCI empty descriptor's content (`{}`), the config of a placeholder manifest. */
const EMPTY_JSON = new TextEncoder().encode('{}');

/** The path and query of a `Link: <…>; rel="next"` header, or null. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!m) return null;
  const u = new URL(m[1]!, 'http://placeholder');
  return u.pathname + u.search;
}
