import net from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { blockedError, type AddressGuard } from './address-guard.ts';

/** Redirects followed within the registry's own origin; a redirect elsewhere is refused. */
const MAX_REDIRECTS = 3;

/** An error of the guarded fetch, with a code Berth sorts failures by. */
export class GuardError extends Error {
  constructor(
    readonly code: 'EBLOCKED' | 'EREDIRECT' | 'EPLAINHTTP',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A fetch for Berth's requests to one external registry: it connects only to addresses the
 * guard allows (checked when the connection is made, so DNS cannot swap the address after a
 * check), speaks plain HTTP only where the guard allows it, follows redirects only within the
 * origin it was asked for, and gives up after `timeoutMs`. Token requests to the realm a
 * registry names go through it too, under the same rules.
 */
export function guardedFetch(guard: AddressGuard, timeoutMs: number): { fetch: typeof fetch; close(): Promise<void> } {
  const agent = new Agent({
    connect: { lookup: guard.lookup, timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 10_000,
    connections: 8,
  });
  const check = (url: URL): void => {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GuardError('EPLAINHTTP', `${url.protocol} is not a protocol Berth speaks to a registry`);
    if (url.protocol === 'http:' && !guard.allowsPlainHttp(url.hostname)) {
      throw new GuardError('EPLAINHTTP', `plain HTTP to ${url.host} is not allowed: use https, or allow the host in BERTH_REGISTRY_ALLOW`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An address literal never goes through lookup: check it here.
    if (net.isIP(host) && guard.refuses(host)) throw new GuardError('EBLOCKED', blockedError(url.host, host).message);
  };
  const guarded = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : input);
    const origin = url.origin;
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    for (let hop = 0; ; hop++) {
      check(url);
      const res = (await undiciFetch(url, { ...(init as object), redirect: 'manual', signal, dispatcher: agent } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location) return res;
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== origin) throw new GuardError('EREDIRECT', `the registry redirected Berth to ${next.origin}, another host than the one saved`);
      if (hop + 1 >= MAX_REDIRECTS) throw new GuardError('EREDIRECT', 'the registry redirected Berth too many times');
      url = next;
    }
  };
  return { fetch: guarded as typeof fetch, close: () => agent.close() };
}
