import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoCopy, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, registryToken, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

interface Access {
  type: string;
  name: string;
  actions: string[];
}
/** The `access` claim of a registry token (the payload is readable; only the signature is secret). */
const accessOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { access: Access[] }).access;

/**
 * Registry tokens under attack: asking for more than the permission gives, for other
 * repositories, using a token where it was not issued for, forged tokens, and tokens or
 * Basic credentials kept after their user was disabled, rotated or deleted.
 */
describe('security: registry tokens and credentials', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let alphaPush: string;
  let alphaPull: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sec-tokens-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    alphaPush = await repositoryWithUser(berth, 'alpha', 'ci', 'push');
    alphaPull = await repositoryWithUser(berth, 'alpha', 'reader', 'pull');
    const betaPush = await repositoryWithUser(berth, 'beta', 'ci', 'push');
    const layout = path.join(work, 'img');
    await writeImageLayout(layout, { tag: 't', layers: [{ files: { 'a.txt': 'tokens' } }] });
    await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/alpha/app:t`, { destCreds: { username: 'alpha', password: alphaPush } });
    await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/beta/app:t`, { destCreds: { username: 'beta', password: betaPush } });
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const manifest = (repo: string, authorization: string, method = 'GET') =>
    fetch(`${berth.url}/v2/${repo}/app/manifests/t`, { method, headers: { authorization, accept: OCI_MANIFEST } });
  const tokenFor = (user: string, secret: string, ...scopes: string[]) => {
    const url = new URL(`${berth.url}/service/token`);
    url.searchParams.set('service', 'berth');
    for (const s of scopes) url.searchParams.append('scope', s);
    return fetch(url, { headers: { authorization: basic(user, secret) } }).then(async (r) => ((await r.json()) as { token: string }).token);
  };

  it('grants a push user pull and push for `*`, never delete; a delete asked for is left out', async () => {
    const star = await tokenFor('alpha', alphaPush, 'repository:alpha/app:*');
    expect(accessOf(star)).toEqual([{ type: 'repository', name: 'alpha/app', actions: ['pull', 'push'] }]);
    const asked = await tokenFor('alpha', alphaPush, 'repository:alpha/app:pull,push,delete');
    expect(accessOf(asked)).toEqual([{ type: 'repository', name: 'alpha/app', actions: ['pull', 'push'] }]);
    const del = await fetch(`${berth.url}/v2/alpha/app/manifests/t`, { method: 'DELETE', headers: { authorization: `Bearer ${asked}` } });
    expect(del.status).toBe(403);
    expect((await manifest('alpha', `Bearer ${asked}`)).status).toBe(200);
  });

  it('grants a pull user nothing beyond pull, whatever it asks for', async () => {
    const t = await tokenFor('alpha', alphaPull, 'repository:alpha/app:push,delete,*');
    expect(accessOf(t)).toEqual([{ type: 'repository', name: 'alpha/app', actions: ['pull'] }]);
  });

  it('leaves out scopes for other repositories asked in the same request', async () => {
    const t = await tokenFor('alpha', alphaPush, 'repository:alpha/app:pull', 'repository:beta/app:pull,push', 'repository:beta/app:*');
    expect(accessOf(t)).toEqual([{ type: 'repository', name: 'alpha/app', actions: ['pull'] }]);
    const spaced = await tokenFor('alpha', alphaPush, 'repository:alpha/app:pull repository:beta/app:pull');
    expect(accessOf(spaced)).toEqual([{ type: 'repository', name: 'alpha/app', actions: ['pull'] }]);
  });

  it('grants nothing for names that are not images, even to an admin', async () => {
    const t = await tokenFor('admin', ADMIN_PASSWORD, 'repository:alpha:*', 'repository:alpha/../beta/app:pull', 'repository:Alpha/App:pull', 'repository::pull', 'repository:alpha/app:');
    expect(accessOf(t)).toEqual([]);
  });

  it('does not let a token for one image open another, in the same repository or another', async () => {
    const t = await tokenFor('admin', ADMIN_PASSWORD, 'repository:alpha/app:pull');
    expect((await manifest('alpha', `Bearer ${t}`)).status).toBe(200);
    const other = await manifest('beta', `Bearer ${t}`);
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const sameRepo = await fetch(`${berth.url}/v2/alpha/other/tags/list`, { headers: { authorization: `Bearer ${t}` } });
    expect(sameRepo.status).toBe(401);
    const push = await fetch(`${berth.url}/v2/alpha/app/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${t}` } });
    expect(push.status).toBe(401);
  });

  it('refuses forged, re-signed, unsigned and anonymous tokens', async () => {
    const real = await tokenFor('alpha', alphaPull, 'repository:alpha/app:pull');
    const [header, payload] = real.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, access: [{ type: 'repository', name: 'beta/app', actions: ['pull'] }] })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const otherKey = createHmac('sha256', 'not berth').update(`${header}.${widened}`).digest('base64url');
    for (const forged of [`${header}.${widened}.${real.split('.')[2]}`, `${none}.${widened}.`, `${header}.${widened}.${otherKey}`, 'not-a-token']) {
      expect((await manifest('beta', `Bearer ${forged}`)).status).toBe(401);
    }
    const anonymous = await registryToken(berth, null, 'repository:alpha/app:pull');
    expect(accessOf(anonymous)).toEqual([]);
    expect((await manifest('alpha', `Bearer ${anonymous}`)).status).toBe(401);
  });

  it('stops a token at once when its user is disabled, its key rotated or the user deleted and made again', async () => {
    const secret = await repositoryWithUser(berth, 'alpha', 'temp', 'pull');
    const before = await tokenFor('alpha', secret, 'repository:alpha/app:pull');
    expect((await manifest('alpha', `Bearer ${before}`)).status).toBe(200);

    const rotated = await berth.api<{ secret: string }>('POST', '/repositories/alpha/users/temp/rotate');
    expect(rotated.status).toBe(200);
    expect((await manifest('alpha', `Bearer ${before}`)).status).toBe(401);
    expect((await manifest('alpha', basic('alpha', secret))).status).toBe(401);
    const after = await tokenFor('alpha', rotated.body.secret, 'repository:alpha/app:pull');
    expect((await manifest('alpha', `Bearer ${after}`)).status).toBe(200);
    expect((await manifest('alpha', basic('alpha', rotated.body.secret))).status).toBe(200);

    expect((await berth.api('PATCH', '/repositories/alpha/users/temp', { permission: 'push' })).status).toBe(200);
    // A permission change keeps the key: the token still pulls.
    expect((await manifest('alpha', `Bearer ${after}`)).status).toBe(200);

    expect((await berth.api('DELETE', '/repositories/alpha/users/temp')).status).toBe(204);
    await repositoryWithUser(berth, 'alpha', 'temp', 'pull');
    expect((await manifest('alpha', `Bearer ${after}`)).status).toBe(401);
    expect((await manifest('alpha', basic('alpha', rotated.body.secret))).status).toBe(401);
  });

  it('stops Basic and tokens of a user whose expiry passed, and never takes its secret for another repository', async () => {
    const secret = await repositoryWithUser(berth, 'alpha', 'brief', 'pull');
    const t = await tokenFor('alpha', secret, 'repository:alpha/app:pull');
    expect((await manifest('beta', basic('beta', secret))).status).toBe(401);
    expect((await manifest('beta', basic('alpha', secret))).status).toBe(403);
    const soon = new Date(Date.now() + 1500).toISOString();
    expect((await berth.api('PATCH', '/repositories/alpha/users/brief', { expiresAt: soon })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await manifest('alpha', `Bearer ${t}`)).status).toBe(401);
    expect((await manifest('alpha', basic('alpha', secret))).status).toBe(401);
  });
});

/** Guessing passwords with Basic on /v2 or /api/v1 is limited like the sign-in form and the token service. */
describe('security: failed Basic logins are rate limited', () => {
  let registry: Upstream;
  let berth: RunningBerth;

  beforeAll(async () => {
    registry = await startUpstream();
    berth = await startBerth(registry.url, { env: { BERTH_LOGIN_RATE_LIMIT: '2' } });
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
  });

  it.each([
    ['/v2/', 'the front door'],
    ['/api/v1/auth/me', 'the API'],
  ])('answers 429 on %s (%s) after too many wrong passwords from one address', async (p) => {
    const wrong = basic('admin', 'not-the-password');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${berth.url}${p}`, { headers: { authorization: wrong } })).status);
    expect(statuses.slice(0, 6).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(6)).toEqual([429, 429]);
    // The guesser is held off even with the right password until the window passes.
    expect((await fetch(`${berth.url}${p}`, { headers: { authorization: basic('admin', ADMIN_PASSWORD) } })).status).toBe(429);
  });
});
