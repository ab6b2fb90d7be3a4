import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoCopy, skopeoInspect, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, registryToken, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

/**
 * Passwords, secret keys, tokens, session ids and Authorization headers appear in no log
 * line (at trace level, everything Berth logs), no error body and no API answer but the
 * one that hands a new secret key out once.
 */
describe('security: secrets stay out of logs, errors and answers', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  const lines: string[] = [];
  const secrets: Record<string, string> = { adminPassword: ADMIN_PASSWORD };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sec-secrets-'));
    registry = await startUpstream();
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    berth = await startBerth(registry.url, { logger });

    // Everything that carries a secret, once each.
    secrets.secretKey = await repositoryWithUser(berth, 'team', 'ci', 'push');
    secrets.basicHeader = Buffer.from(`team:${secrets.secretKey}`).toString('base64');
    secrets.adminBasic = Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
    const layout = path.join(work, 'img');
    await writeImageLayout(layout, { tag: 't', layers: [{ files: { 'a.txt': 'secrets' } }] });
    await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/team/app:t`, { destCreds: { username: 'team', password: secrets.secretKey } });
    await skopeoInspect(`docker://${berth.host}/team/app:t`, { creds: { username: 'team', password: secrets.secretKey } });
    secrets.token = await registryToken(berth, { username: 'team', password: secrets.secretKey }, 'repository:team/app:pull');
    await fetch(`${berth.url}/v2/team/app/tags/list?password=${encodeURIComponent(ADMIN_PASSWORD)}`, { headers: { authorization: `Bearer ${secrets.token}` } });
    await fetch(`${berth.url}/service/token?scope=repository:team/app:pull`, {
      headers: { authorization: `Basic ${Buffer.from('team:brt_wrong-wrong-wrong-wrong-wrong-wrong-wrong-w').toString('base64')}` },
    });
    const login = await fetch(`${berth.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    secrets.session = /^berth_session=([^;]*)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    secrets.csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    await fetch(`${berth.url}/api/v1/repositories`, {
      method: 'POST',
      headers: { cookie: `berth_session=${secrets.session}`, 'x-csrf-token': secrets.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'logged' }),
    });
    const rotated = await berth.api<{ secret: string }>('POST', '/repositories/team/users/ci/rotate');
    secrets.rotated = rotated.body.secret;
    await berth.api('POST', '/accounts', { username: 'viewer1', password: 'viewer-password-1', role: 'viewer' });
    secrets.viewerPassword = 'viewer-password-1';
    await berth.api('GET', '/auth/me', undefined, `Basic ${Buffer.from('admin:a-wrong-password').toString('base64')}`);
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('logs requests at trace level, and no secret in any line', () => {
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes('/service/token'))).toBe(true);
    const all = lines.join('\n');
    for (const [name, value] of Object.entries(secrets)) expect(all.includes(value), name).toBe(false);
    expect(all).not.toMatch(/brt_[A-Za-z0-9_-]{20,}/);
    expect(all).not.toMatch(/argon2id|\$argon2/);
  });

  it('echoes no credential in an error body', async () => {
    const wrong = `Basic ${Buffer.from('admin:wrong-password-123').toString('base64')}`;
    for (const res of [
      await fetch(`${berth.url}/v2/team/app/manifests/t`, { headers: { authorization: wrong } }),
      await fetch(`${berth.url}/v2/team/app/manifests/t`, { headers: { authorization: 'Bearer not.a.token' } }),
      await fetch(`${berth.url}/service/token?scope=repository:team/app:pull`, { headers: { authorization: wrong } }),
      await fetch(`${berth.url}/api/v1/repositories`, { headers: { authorization: wrong } }),
    ]) {
      const body = await res.text();
      expect(res.status).toBe(401);
      expect(body).not.toContain('wrong-password-123');
      expect(body).not.toContain('not.a.token');
      expect(body).not.toContain(Buffer.from('admin:wrong-password-123').toString('base64'));
    }
  });

  it('answers no password hash or secret key hash: repository users and accounts show neither', async () => {
    const users = JSON.stringify((await berth.api('GET', '/repositories/team/users')).body);
    const accounts = JSON.stringify((await berth.api('GET', '/accounts')).body);
    const hash = createHash('sha256').update(secrets.rotated!).digest('hex');
    for (const text of [users, accounts]) {
      expect(text).not.toMatch(/argon2|secretHash|secret_hash|passwordHash|password/i);
      expect(text).not.toContain(hash);
      expect(text).not.toContain(secrets.rotated);
    }
    expect(JSON.parse(users)).toEqual({ items: [expect.objectContaining({ name: 'ci', repository: 'team' })] });
  });

  it('answers an upstream failure with a generic 502, no address or stack', async () => {
    const down = await startBerth('http://127.0.0.1:9', {});
    try {
      await down.api('POST', '/repositories', { name: 'team' });
      const res = await fetch(`${down.url}/v2/team/app/manifests/t`, { headers: { authorization: `Basic ${secrets.adminBasic}` } });
      expect(res.status).toBe(502);
      const body = await res.text();
      expect(body).not.toMatch(/127\.0\.0\.1:9|ECONNREFUSED|at .*\.ts/);
    } finally {
      await down.stop();
    }
  });
});
