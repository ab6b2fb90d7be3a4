import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, fieldErrors, loginPath, request, setCsrfToken, setUnauthenticatedHandler } from './api-client';

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>();
  const onUnauthenticated = vi.fn();

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    // In a browser (the server's render keeps no CSRF token).
    vi.stubGlobal('window', {});
    setUnauthenticatedHandler(onUnauthenticated);
    setCsrfToken(undefined);
  });
  afterEach(() => {
    fetchMock.mockReset();
    onUnauthenticated.mockReset();
    vi.unstubAllGlobals();
  });

  it('builds the URL under /api/v1 and leaves out empty query values', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { items: [], nextCursor: null }));
    await api.get('/repositories/a/images', { limit: 50, cursor: undefined, q: '', sort: 'name' });
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/repositories/a/images?limit=50&sort=name');
  });

  it('keeps no CSRF token outside a browser (the server render serves many sessions)', async () => {
    vi.stubGlobal('window', undefined);
    setCsrfToken('tok');
    fetchMock.mockImplementation(async () => json(200, {}));
    await api.post('/repositories', {});
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('echoes the CSRF token on mutations only', async () => {
    setCsrfToken('tok');
    fetchMock.mockImplementation(async () => json(200, {}));
    await api.get('/x');
    await api.post('/x', { a: 1 });
    const headers = (i: number) => fetchMock.mock.calls[i]![1]!.headers as Record<string, string>;
    expect(headers(0)['x-csrf-token']).toBeUndefined();
    expect(headers(1)['x-csrf-token']).toBe('tok');
    expect(fetchMock.mock.calls[1]![1]!.body).toBe('{"a":1}');
    expect(fetchMock.mock.calls[1]![1]!.credentials).toBe('same-origin');
  });

  it('turns an error body into an ApiError with code, message and details', async () => {
    fetchMock.mockResolvedValueOnce(
      json(400, { error: { code: 'VALIDATION_FAILED', message: 'the request is not valid', details: [{ path: 'name', message: 'must be lowercase' }] } }),
    );
    const error = await request('/repositories', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: 'the request is not valid' });
    expect(fieldErrors(error)).toEqual({ name: 'must be lowercase' });
  });

  it('keeps a raw body byte for byte (whitespace and key order included) with its headers', async () => {
    const bytes = new TextEncoder().encode('{"schemaVersion":2,  "b":1,"a":2}\n');
    fetchMock.mockResolvedValueOnce(
      new Response(bytes, { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': 'sha256:x' } }),
    );
    const raw = await api.getBytes('/repositories/a/images/b/manifests/1.0');
    expect(Array.from(raw.bytes)).toEqual(Array.from(bytes));
    expect(raw.headers.get('docker-content-digest')).toBe('sha256:x');
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>).accept).toBe('*/*');
  });

  it('turns an error answer to a raw request into an ApiError too', async () => {
    fetchMock.mockResolvedValueOnce(json(404, { error: { code: 'MANIFEST_NOT_FOUND', message: 'manifest nope is not in the registry' } }));
    await expect(api.getBytes('/x')).rejects.toMatchObject({ status: 404, code: 'MANIFEST_NOT_FOUND' });
  });

  it('reports a 401 to the handler and forgets the CSRF token, unless the caller handles it', async () => {
    setCsrfToken('tok');
    fetchMock.mockImplementation(async () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'sign in first' } }));
    await expect(request('/repositories')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    await api.post('/x').catch(() => undefined);
    expect((fetchMock.mock.calls[1]![1]!.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();

    await expect(request('/auth/login', { method: 'POST', body: {}, allowUnauthenticated: true })).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).toHaveBeenCalledTimes(2); // the api.post above, not the sign-in
  });

  it('answers undefined for 204 and a network failure as an ApiError', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(api.delete('/x')).resolves.toBeUndefined();
    fetchMock.mockRejectedValueOnce(new TypeError('fetch failed'));
    await expect(api.get('/x')).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('keeps a non-JSON error readable', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(api.get('/x')).rejects.toMatchObject({ status: 502, code: 'INTERNAL', message: 'Bad Gateway' });
  });
});

describe('loginPath', () => {
  it('remembers where the user was, except the start page and the sign-in page', () => {
    expect(loginPath('/repositories/a?q=1')).toBe('/login?next=%2Frepositories%2Fa%3Fq%3D1');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/login?next=/x')).toBe('/login');
  });
});
