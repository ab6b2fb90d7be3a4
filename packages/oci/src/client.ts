import { MANIFEST_ACCEPT } from './media-types.ts';

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

  constructor(
    readonly baseUrl: string,
    private readonly credentials?: RegistryCredentials,
    private readonly userAgent = 'berth',
  ) {}

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
      return fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'follow' });
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
    const res = await fetch(url, { headers });
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

  /** Checks the registry answers `/v2/` (with Berth's credentials). */
  async ping(): Promise<void> {
    const res = await this.request('/v2/');
    await res.arrayBuffer();
    if (!res.ok) await this.fail(res, 'ping');
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
}

/** The path and query of a `Link: <…>; rel="next"` header, or null. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!m) return null;
  const u = new URL(m[1]!, 'http://placeholder');
  return u.pathname + u.search;
}
