import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me, RepositoryUser } from '@berth/api';

import { ADMIN_PASSWORD, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

/** The console's own way in: session cookie + CSRF token, roles, safe headers. */
describe('console sessions', () => {
  let registry: Upstream;
  let berth: RunningBerth;

  beforeAll(async () => {
    registry = await startUpstream();
    berth = await startBerth(registry.url, { env: { BERTH_LOGIN_RATE_LIMIT: '5' } });
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
  });

  const login = async (username: string, password: string) => {
    const res = await fetch(`${berth.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return { res, cookie: res.headers.get('set-cookie') ?? '', me: res.ok ? ((await res.json()) as Me) : null };
  };
  const call = (method: string, p: string, cookie: string, body?: unknown, csrf?: string) =>
    fetch(`${berth.url}/api/v1${p}`, {
      method,
      headers: {
        cookie: cookie.split(';')[0]!,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('signs in with an httpOnly SameSite=Strict cookie and needs the CSRF token for mutations', async () => {
    const { res, cookie, me } = await login('admin', ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(cookie).toMatch(/^berth_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(me).toMatchObject({ username: 'admin', role: 'admin' });
    expect((await call('GET', '/repositories', cookie)).status).toBe(200);

    const noToken = await call('POST', '/repositories', cookie, { name: 'csrf-test' });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    const wrongToken = await call('POST', '/repositories', cookie, { name: 'csrf-test' }, 'forged');
    expect(wrongToken.status).toBe(403);
    expect((await berth.api('GET', '/repositories/csrf-test')).status).toBe(404);

    const ok = await call('POST', '/repositories', cookie, { name: 'csrf-test' }, me!.csrfToken);
    expect(ok.status).toBe(201);
    const again = await call('GET', '/auth/me', cookie);
    expect(((await again.json()) as Me).csrfToken).toBe(me!.csrfToken);

    expect((await call('POST', '/auth/logout', cookie)).status).toBe(204);
    expect((await call('GET', '/repositories', cookie)).status).toBe(401);
  });

  it('shows a repository user secret only once', async () => {
    const created = await berth.api<RepositoryUser & { secret: string }>('POST', '/repositories/csrf-test/users', { name: 'once', permission: 'pull' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^brt_/);
    const list = await berth.api<{ items: RepositoryUser[] }>('GET', '/repositories/csrf-test/users');
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    expect(list.body.items[0]).toMatchObject({ name: 'once', permission: 'pull', status: 'active', lastUsedAt: null });
  });

  it('lets a viewer read but not change anything', async () => {
    const created = await berth.api('POST', '/accounts', { username: 'viewer1', password: 'viewer-password-1', role: 'viewer' });
    expect(created.status).toBe(201);
    const { cookie, me } = await login('viewer1', 'viewer-password-1');
    expect(me?.role).toBe('viewer');
    expect((await call('GET', '/repositories', cookie)).status).toBe(200);
    const denied = await call('POST', '/repositories', cookie, { name: 'viewer-made' }, me!.csrfToken);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await call('GET', '/accounts', cookie)).status).toBe(403);
  });

  it('sets safe headers on the console and the API', async () => {
    const res = await fetch(`${berth.url}/api/v1/repositories`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('rate-limits sign-in attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login('admin', 'wrong-password')).res.status);
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
  });
});
