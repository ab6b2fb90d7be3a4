import { describe, expect, it } from 'vitest';
import { classifyError, repositoryOf, testConnection } from './connection-test.ts';
import { GuardError } from './guarded-fetch.ts';

const fetchError = (code: string, message = code) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('classifyError', () => {
  const url = 'https://registry.example.com:5000';
  it.each([
    [fetchError('ENOTFOUND'), 'dns', 'the host name registry.example.com does not resolve'],
    [fetchError('EAI_AGAIN'), 'dns', 'the host name registry.example.com does not resolve'],
    [fetchError('ECONNREFUSED'), 'refused', 'nothing accepts connections at registry.example.com:5000'],
    [fetchError('UND_ERR_CONNECT_TIMEOUT'), 'timeout', 'registry.example.com:5000 did not answer in time'],
    [Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 'timeout', 'registry.example.com:5000 did not answer in time'],
    [fetchError('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls', 'the TLS certificate of registry.example.com:5000 is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    [fetchError('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', 'the TLS certificate of registry.example.com:5000 is not trusted (ERR_TLS_CERT_ALTNAME_INVALID)'],
    [fetchError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'tls', 'registry.example.com:5000 does not speak TLS on that port: if it serves plain HTTP, use an http:// URL'],
    [fetchError('EBLOCKED', 'x resolves to 169.254.169.254, an address Berth does not connect to'), 'blocked_address', 'x resolves to 169.254.169.254, an address Berth does not connect to'],
    [new GuardError('EREDIRECT', 'the registry redirected Berth to https://elsewhere'), 'redirect', 'the registry redirected Berth to https://elsewhere'],
    [fetchError('ECONNRESET'), 'upstream_error', 'registry.example.com:5000 closed the connection'],
  ])('%#: sorts %s', (err, reason, message) => {
    const failed = classifyError(err, url);
    expect(failed.reason).toBe(reason);
    expect(failed.message).toBe(message);
  });
});

describe('repositoryOf', () => {
  it('is the first path component, or _ for a top-level name', () => {
    expect(repositoryOf('team/app')).toBe('team');
    expect(repositoryOf('team/tools/cli')).toBe('team');
    expect(repositoryOf('busybox')).toBe('_');
  });
});

describe('testConnection', () => {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

  it('follows a Bearer challenge: a token from the realm with the account, then /v2/ with it', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fake: typeof fetch = async (input, init) => {
      const url = String(input);
      const auth = new Headers(init?.headers).get('authorization');
      seen.push({ url, auth });
      if (url.startsWith('https://auth.example.com/token')) return auth === `Basic ${Buffer.from('me:pw').toString('base64')}` ? json(200, { token: 't0k' }) : json(401, {});
      if (url.endsWith('/v2/')) {
        if (auth === 'Bearer t0k') return json(200, {}, { 'docker-distribution-api-version': 'registry/2.0' });
        return json(401, {}, { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg.example.com"' });
      }
      if (url.includes('/v2/_catalog')) return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg.example.com",scope="registry:catalog:*"' });
      return json(404, {});
    };
    const ok = await testConnection({ url: 'https://reg.example.com', username: 'me', password: 'pw', repository: 'library' }, fake);
    expect(ok).toMatchObject({ ok: true, auth: { scheme: 'bearer', realm: 'auth.example.com' }, authAccepted: true, catalog: { allowed: false }, repository: { name: 'library', found: null } });
    expect(ok.message).toContain('could not be checked without the catalog');
    expect(seen[1]!.url).toBe('https://auth.example.com/token?service=reg.example.com');

    const wrong = await testConnection({ url: 'https://reg.example.com', username: 'me', password: 'nope', repository: null }, fake);
    expect(wrong).toMatchObject({ ok: false, reason: 'unauthorized', reachable: true, authAccepted: false });
    expect(wrong.message).toBe('the token service at auth.example.com refused the username or password (401)');
    expect(JSON.stringify(wrong)).not.toContain('nope');
  });

  it('tells plain HTTP sent to a TLS port, and a web server that is not a registry', async () => {
    const tlsPort: typeof fetch = async () => new Response('Client sent an HTTP request to an HTTPS server.\n', { status: 400 });
    expect(await testConnection({ url: 'http://127.0.0.1:5000', username: null, password: null, repository: null }, tlsPort)).toMatchObject({ ok: false, reason: 'tls_required' });
    const web: typeof fetch = async () => new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    expect(await testConnection({ url: 'https://example.com', username: null, password: null, repository: null }, web)).toMatchObject({ ok: false, reason: 'not_registry' });
  });
});
