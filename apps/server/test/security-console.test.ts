import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '@berth/api';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const ADMIN_BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

/**
 * The console's session under attack: login CSRF, cross-site calls riding on the cookie or
 * on Basic credentials a browser remembers, a session id planted before sign-in, and a
 * session used after sign-out.
 */
describe('security: console sessions and cross-site requests', () => {
  let registry: Upstream;
  let berth: RunningBerth;

  beforeAll(async () => {
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    await repositoryWithUser(berth, 'team', 'ci', 'push');
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
  });

  const sessionOf = (res: Response) => /^berth_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null;
  const login = (headers: Record<string, string> = {}) =>
    fetch(`${berth.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
  const me = (session: string) => fetch(`${berth.url}/api/v1/auth/me`, { headers: { cookie: `berth_session=${session}` } });
  const rotate = (headers: Record<string, string>) => fetch(`${berth.url}/api/v1/repositories/team/users/ci/rotate`, { method: 'POST', headers });

  it('takes no sign-in from a cross-site form (login CSRF): only a JSON body signs in', async () => {
    const form = await fetch(`${berth.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=admin&password=${ADMIN_PASSWORD}`,
    });
    // A text/plain form can carry a JSON-looking body without a CORS preflight.
    const plain = await fetch(`${berth.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    for (const res of [form, plain]) {
      expect(res.status).toBe(400);
      expect(sessionOf(res)).toBeNull();
    }
    const crossSite = await login({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(sessionOf(crossSite)).toBeNull();
  });

  it('refuses cross-site mutations that ride on Basic credentials a browser remembers', async () => {
    const before = await berth.api<{ lastUsedAt: string | null }[]>('GET', '/repositories/team/users');
    const crossSite: Record<string, string>[] = [
      { authorization: ADMIN_BASIC, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { authorization: ADMIN_BASIC, 'sec-fetch-site': 'same-site' },
      { authorization: ADMIN_BASIC, origin: 'https://evil.example' },
      { authorization: ADMIN_BASIC, origin: 'null' },
    ];
    for (const headers of crossSite) {
      const res = await rotate(headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    }
    expect((await berth.api('GET', '/repositories/team/users')).body).toEqual(before.body);
    // The console itself (same origin) and scripts (no Origin at all) still can.
    expect((await rotate({ authorization: ADMIN_BASIC, 'sec-fetch-site': 'same-origin', origin: berth.url })).status).toBe(200);
    expect((await rotate({ authorization: ADMIN_BASIC })).status).toBe(200);
  });

  it('needs the CSRF token of the same session: another session’s token does not do', async () => {
    const a = await login();
    const b = await login();
    const tokenOfA = ((await a.json()) as Me).csrfToken!;
    const res = await fetch(`${berth.url}/api/v1/repositories`, {
      method: 'POST',
      headers: { cookie: `berth_session=${sessionOf(b)}`, 'content-type': 'application/json', 'x-csrf-token': tokenOfA },
      body: JSON.stringify({ name: 'csrf-cross' }),
    });
    expect(res.status).toBe(403);
    expect((await berth.api('GET', '/repositories/csrf-cross')).status).toBe(404);
  });

  it('gives a new session id at sign-in, whatever id the browser carried, and ends the one it carried', async () => {
    const planted = 'attacker-chosen-session-id';
    const fixed = await login({ cookie: `berth_session=${planted}` });
    expect(fixed.status).toBe(200);
    expect(sessionOf(fixed)).not.toBe(planted);
    expect((await me(planted)).status).toBe(401);

    // An attacker's own real session, planted in the victim's browser, ends when the victim signs in.
    const attackers = sessionOf(await login())!;
    expect((await me(attackers)).status).toBe(200);
    const victims = sessionOf(await login({ cookie: `berth_session=${attackers}` }))!;
    expect(victims).not.toBe(attackers);
    expect((await me(attackers)).status).toBe(401);
    expect((await me(victims)).status).toBe(200);
  });

  it('ends the session at sign-out, for anyone who kept the cookie', async () => {
    const res = await login();
    const session = sessionOf(res)!;
    const { csrfToken } = (await res.json()) as Me;
    const out = await fetch(`${berth.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: `berth_session=${session}`, 'x-csrf-token': csrfToken! } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/berth_session=;/);
    expect((await me(session)).status).toBe(401);
    const write = await fetch(`${berth.url}/api/v1/repositories`, {
      method: 'POST',
      headers: { cookie: `berth_session=${session}`, 'content-type': 'application/json', 'x-csrf-token': csrfToken! },
      body: JSON.stringify({ name: 'after-logout' }),
    });
    expect(write.status).toBe(401);
  });

  it('does not sign a cross-site page out', async () => {
    const session = sessionOf(await login())!;
    const out = await fetch(`${berth.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: `berth_session=${session}`, 'sec-fetch-site': 'cross-site' } });
    expect(out.status).toBe(403);
    expect((await me(session)).status).toBe(200);
  });
});
