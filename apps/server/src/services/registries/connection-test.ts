import type { ConnectionFailure, ConnectionTest } from '@berth/api';
import { RegistryClient, RegistryError } from '@berth/oci';
import { GuardError } from './guarded-fetch.ts';

/** What a connection test needs: where the registry is, how to sign in, which repository. */
export interface ConnectionSettings {
  url: string;
  username: string | null;
  password: string | null;
  repository: string | null;
}

/** The catalog is walked this far to count repositories and find the chosen one. */
const CATALOG_WALK = 10_000;
/** Repositories named in a test's answer. */
const LISTED = 100;

/** A failure sorted into a reason and said in words, never with a credential in them. */
export class ConnectionFailed extends Error {
  constructor(
    readonly reason: ConnectionFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The repository an upstream name is listed under: its first path component, or `_` for a top-level name. */
export function repositoryOf(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? '_' : name.slice(0, slash);
}

/** Sorts what fetch threw into a reason a person can act on. */
export function classifyError(err: unknown, url: string): ConnectionFailed {
  if (err instanceof ConnectionFailed) return err;
  if (err instanceof GuardError) {
    if (err.code === 'EBLOCKED') return new ConnectionFailed('blocked_address', err.message);
    if (err.code === 'EREDIRECT') return new ConnectionFailed('redirect', err.message);
    return new ConnectionFailed('invalid_url', err.message);
  }
  const host = safeHost(url);
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new ConnectionFailed('timeout', `${host} did not answer in time`);
  const cause = e.cause ?? (e as { code?: string; message?: string; name?: string });
  const code = cause.code ?? '';
  const message = cause.message ?? '';
  if (code === 'EBLOCKED') return new ConnectionFailed('blocked_address', message);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new ConnectionFailed('dns', `the host name ${safeHostname(url)} does not resolve`);
  }
  if (code === 'ECONNREFUSED') return new ConnectionFailed('refused', `nothing accepts connections at ${host}`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new ConnectionFailed('refused', `${host} cannot be reached from Berth's network`);
  if (/TIMEOUT/i.test(code) || code === 'ETIMEDOUT' || cause.name === 'TimeoutError') return new ConnectionFailed('timeout', `${host} did not answer in time`);
  if (/wrong version number|packet length too long|http request/i.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return new ConnectionFailed('tls', `${host} does not speak TLS on that port: if it serves plain HTTP, use an http:// URL`);
  }
  if (/CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH/i.test(code)) {
    return new ConnectionFailed('tls', `the TLS certificate of ${host} is not trusted (${code})`);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new ConnectionFailed('upstream_error', `${host} closed the connection`);
  return new ConnectionFailed('upstream_error', `${host} could not be reached`);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the registry';
  }
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'the registry';
  }
}

function challengeParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\w+\s+/, '').matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return params;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A registry answers `/v2/` with this header (distribution, Harbor, zot, Docker Hub, Berth). */
const isRegistryAnswer = (res: Response) => res.headers.has('docker-distribution-api-version');

/**
 * Tests a registry as docker would meet it: `GET /v2/`; the challenge it answers (none,
 * Basic, or a Bearer token service); the account, against that challenge; then the catalog
 * (which repositories the account sees, or that it may not list them) and the chosen
 * repository. Resolves with what it found, whether it passed or not; it throws nothing.
 */
export async function testConnection(settings: ConnectionSettings, fetchImpl: typeof fetch, now: () => Date = () => new Date()): Promise<ConnectionTest> {
  const started = now();
  const result: ConnectionTest = {
    ok: false,
    message: '',
    at: started.toISOString(),
    durationMs: 0,
    reachable: false,
    auth: null,
    authAccepted: false,
    catalog: null,
    repository: settings.repository ? { name: settings.repository, found: null } : null,
  };
  const finish = (failure?: ConnectionFailed): ConnectionTest => {
    result.durationMs = Math.max(0, now().getTime() - started.getTime());
    if (failure) {
      result.ok = false;
      result.reason = failure.reason;
      result.message = failure.message;
    } else {
      result.ok = true;
      result.message = describe(result);
    }
    return result;
  };
  const base = settings.url.replace(/\/+$/, '');
  const v2 = `${base}/v2/`;
  const creds = settings.username && settings.password ? { username: settings.username, password: settings.password } : undefined;
  try {
    // 1. Is it a registry, and how does it want to be signed in to?
    const first = await fetchImpl(v2, { headers: { 'user-agent': 'berth' } });
    const text = await first.text();
    if (first.status === 400 && /HTTP request to an HTTPS server/i.test(text)) {
      throw new ConnectionFailed('tls_required', `${safeHost(base)} requires TLS: use an https:// URL`);
    }
    const challenge = first.headers.get('www-authenticate') ?? '';
    if (first.status === 401 && /^(basic|bearer)\s/i.test(challenge)) {
      const scheme = /^bearer/i.test(challenge) ? 'bearer' : 'basic';
      const params = challengeParams(challenge);
      result.reachable = true;
      result.auth = { scheme, realm: scheme === 'bearer' && params.realm ? safeHost(params.realm) : null };
    } else if (first.ok && (isRegistryAnswer(first) || text.trim() === '{}')) {
      result.reachable = true;
      result.auth = { scheme: 'none', realm: null };
    } else {
      throw new ConnectionFailed('not_registry', `${safeHost(base)} answers ${first.status}, but not as a container registry (no /v2/ API there)`);
    }

    // 2. The account, against the challenge.
    if (result.auth.scheme === 'basic') {
      if (!creds) throw new ConnectionFailed('unauthorized', 'the registry asks for a username and password');
      const res = await fetchImpl(v2, { headers: { 'user-agent': 'berth', authorization: basic(creds.username, creds.password) } });
      await res.arrayBuffer();
      if (res.status === 401 || res.status === 403) throw new ConnectionFailed('unauthorized', `the registry refused the username or password (${res.status})`);
      if (!res.ok) throw new ConnectionFailed('upstream_error', `the registry answered ${res.status} to a signed-in /v2/`);
    } else if (result.auth.scheme === 'bearer') {
      const params = challengeParams(challenge);
      if (!params.realm) throw new ConnectionFailed('token_failed', 'the registry asks for a token but names no token service');
      let realm: URL;
      try {
        realm = new URL(params.realm);
      } catch {
        throw new ConnectionFailed('token_failed', 'the registry names a token service that is not a URL');
      }
      if (params.service) realm.searchParams.set('service', params.service);
      const headers: Record<string, string> = { 'user-agent': 'berth' };
      if (creds) headers.authorization = basic(creds.username, creds.password);
      const tokenRes = await fetchImpl(realm, { headers }).catch((err: unknown) => {
        const failed = classifyError(err, realm.href);
        throw new ConnectionFailed(failed.reason === 'dns' || failed.reason === 'refused' || failed.reason === 'timeout' ? 'token_failed' : failed.reason, `the token service at ${realm.host}: ${failed.message}`);
      });
      const body = (await tokenRes.json().catch(() => null)) as { token?: string; access_token?: string } | null;
      if (tokenRes.status === 401 || tokenRes.status === 403) {
        throw new ConnectionFailed('unauthorized', `the token service at ${realm.host} refused the username or password (${tokenRes.status})`);
      }
      const token = body?.token ?? body?.access_token;
      if (!tokenRes.ok || !token) throw new ConnectionFailed('token_failed', `the token service at ${realm.host} gave no token (${tokenRes.status})`);
      const res = await fetchImpl(v2, { headers: { 'user-agent': 'berth', authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status === 401 || res.status === 403) throw new ConnectionFailed('unauthorized', `the registry refused the token its own service issued (${res.status})`);
      if (!res.ok) throw new ConnectionFailed('upstream_error', `the registry answered ${res.status} with a token`);
    }
    result.authAccepted = true;

    // 3. What the account sees.
    const client = new RegistryClient(base, creds, 'berth', { fetch: fetchImpl });
    const groups = new Set<string>();
    let complete = false;
    let allowed = true;
    try {
      const walk = await client.catalogUpTo(CATALOG_WALK);
      for (const name of walk.names) groups.add(repositoryOf(name));
      complete = walk.complete;
    } catch (err) {
      if (!(err instanceof RegistryError)) throw err;
      allowed = false;
    }
    const names = [...groups.keys()].sort();
    result.catalog = allowed
      ? { allowed: true, repositories: names.slice(0, LISTED), more: names.length > LISTED || !complete, count: complete ? names.length : null }
      : { allowed: false, repositories: [], more: false, count: null };
    if (result.repository) {
      const wanted = result.repository.name;
      if (allowed && groups.has(wanted)) result.repository.found = true;
      else if (allowed && complete) {
        result.repository.found = false;
        throw new ConnectionFailed('repository_not_found', `the repository ${wanted} is not in the registry, or the account may not see it`);
      }
    }
    return finish();
  } catch (err) {
    return finish(classifyError(err, base));
  }
}

/** A passed test in one sentence. */
function describe(t: ConnectionTest): string {
  const auth = t.auth?.scheme === 'bearer' ? `token service at ${t.auth.realm ?? 'its realm'}` : t.auth?.scheme === 'basic' ? 'Basic authentication' : 'no authentication';
  const parts = [`Reachable, ${auth}, account accepted`];
  if (t.catalog?.allowed) {
    const n = t.catalog.count ?? t.catalog.repositories.length;
    parts.push(t.catalog.count === null ? `more than ${n} repositories visible` : `${n} ${n === 1 ? 'repository' : 'repositories'} visible`);
  } else parts.push('the registry does not list its repositories to this account');
  if (t.repository?.found === true) parts.push(`repository ${t.repository.name} found`);
  if (t.repository && t.repository.found === null) parts.push(`repository ${t.repository.name} could not be checked without the catalog`);
  return parts.join('; ') + '.';
}
