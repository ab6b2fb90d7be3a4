import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoCopy, skopeoInspect, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, registryToken, repositoryWithUser, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

/** Who may do what on /v2: each case asserts allow or deny, with real skopeo and raw HTTP. */
describe('front door authorization', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let layout: string;
  const s: Record<string, string> = {};

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-auth-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    s.alphaPush = await repositoryWithUser(berth, 'alpha', 'pusher', 'push');
    s.alphaPull = await repositoryWithUser(berth, 'alpha', 'puller', 'pull');
    s.betaPush = await repositoryWithUser(berth, 'beta', 'pusher', 'push');
    layout = path.join(work, 'img');
    await writeImageLayout(layout, { tag: 't', layers: [{ files: { 'a.txt': 'auth' } }] });
    await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/alpha/app:t`, { destCreds: { username: 'alpha', password: s.alphaPush } });
    await skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/beta/app:t`, { destCreds: { username: 'beta', password: s.betaPush } });
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const asCreds = (c: string) => ({ username: c.slice(0, c.indexOf(':')), password: c.slice(c.indexOf(':') + 1) });
  const push = (repo: string, creds: string | null) =>
    skopeoCopy(`oci:${layout}:t`, `docker://${berth.host}/${repo}/app:pushed`, creds ? { destCreds: asCreds(creds) } : {});
  const pull = (repo: string, creds: string | null) =>
    skopeoInspect(`docker://${berth.host}/${repo}/app:t`, creds ? { creds: asCreds(creds) } : {});

  it('answers anonymous calls with 401 and a Bearer challenge naming the scope', async () => {
    const base = await fetch(`${berth.url}/v2/`);
    expect(base.status).toBe(401);
    expect(base.headers.get('www-authenticate')).toBe(`Bearer realm="http://127.0.0.1:${berth.port}/service/token",service="berth"`);
    const manifest = await fetch(`${berth.url}/v2/alpha/app/manifests/t`);
    expect(manifest.status).toBe(401);
    expect(manifest.headers.get('www-authenticate')).toContain('scope="repository:alpha/app:pull"');
    expect(((await manifest.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('UNAUTHORIZED');
    await expect(pull('alpha', null)).rejects.toThrow(/unauthorized|authentication required/i);
  });

  it('lets a push user push and pull its own repository', async () => {
    await expect(push('alpha', `alpha:${s.alphaPush}`)).resolves.toBeDefined();
    await expect(pull('alpha', `alpha:${s.alphaPush}`)).resolves.toMatchObject({ Name: `${berth.host}/alpha/app` });
  });

  it('lets a pull user pull but not push', async () => {
    await expect(pull('alpha', `alpha:${s.alphaPull}`)).resolves.toBeDefined();
    await expect(push('alpha', `alpha:${s.alphaPull}`)).rejects.toThrow(/denied|unauthorized|forbidden/i);
    const token = await registryToken(berth, { username: 'alpha', password: s.alphaPull! }, 'repository:alpha/app:pull,push');
    const res = await fetch(`${berth.url}/v2/alpha/app/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('DENIED');
  });

  it('gives a user of one repository nothing of another', async () => {
    await expect(pull('beta', `alpha:${s.alphaPush}`)).rejects.toThrow(/denied|unauthorized|forbidden/i);
    await expect(push('beta', `alpha:${s.alphaPush}`)).rejects.toThrow(/denied|unauthorized|forbidden/i);
    // Claiming the other repository's name with this secret does not work either.
    await expect(pull('beta', `beta:${s.alphaPush}`)).rejects.toThrow(/unauthorized|incorrect/i);
  });

  it('lets admins push and pull anywhere', async () => {
    await expect(push('beta', `admin:${ADMIN_PASSWORD}`)).resolves.toBeDefined();
    await expect(pull('alpha', `admin:${ADMIN_PASSWORD}`)).resolves.toBeDefined();
  });

  it('refuses a wrong secret at the token service', async () => {
    const res = await fetch(`${berth.url}/service/token?service=berth&scope=repository:alpha/app:pull`, {
      headers: { authorization: `Basic ${Buffer.from('alpha:brt_wrongwrongwrongwrongwrongwrongwrongwrongwro').toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });

  it('shows in _catalog and tags/list only what the caller may see', async () => {
    const asAlpha = await registryToken(berth, { username: 'alpha', password: s.alphaPull! }, 'registry:catalog:*');
    const cat = await fetch(`${berth.url}/v2/_catalog`, { headers: { authorization: `Bearer ${asAlpha}` } });
    expect(((await cat.json()) as { repositories: string[] }).repositories).toEqual(['alpha/app']);
    const asAdmin = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const all = await fetch(`${berth.url}/v2/_catalog`, { headers: { authorization: asAdmin } });
    expect(((await all.json()) as { repositories: string[] }).repositories).toEqual(['alpha/app', 'beta/app']);
    const tagsToken = await registryToken(berth, { username: 'alpha', password: s.alphaPull! }, 'repository:beta/app:pull');
    const tags = await fetch(`${berth.url}/v2/beta/app/tags/list`, { headers: { authorization: `Bearer ${tagsToken}` } });
    expect(tags.status).toBe(403);
  });

  it('stops a disabled, rotated or deleted user at once, even with a token in hand', async () => {
    const secret = await repositoryWithUser(berth, 'alpha', 'temp', 'pull');
    const token = await registryToken(berth, { username: 'alpha', password: secret }, 'repository:alpha/app:pull');
    const get = () =>
      fetch(`${berth.url}/v2/alpha/app/manifests/t`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
    expect((await get()).status).toBe(200);
    expect((await berth.api('PATCH', '/repositories/alpha/users/temp', { disabled: true })).status).toBe(200);
    expect((await get()).status).toBe(401);
    await expect(pull('alpha', `alpha:${secret}`)).rejects.toThrow(/unauthorized|incorrect/i);
    expect((await berth.api('PATCH', '/repositories/alpha/users/temp', { disabled: false })).status).toBe(200);
    expect((await get()).status).toBe(200);
    const rotated = await berth.api<{ secret: string }>('POST', '/repositories/alpha/users/temp/rotate');
    await expect(pull('alpha', `alpha:${secret}`)).rejects.toThrow(/unauthorized|incorrect/i);
    await expect(pull('alpha', `alpha:${rotated.body.secret}`)).resolves.toBeDefined();
    expect((await berth.api('DELETE', '/repositories/alpha/users/temp')).status).toBe(204);
    expect((await get()).status).toBe(401);
  });

  it('refuses a push to a repository that does not exist, even for admins', async () => {
    await expect(push('nowhere', `admin:${ADMIN_PASSWORD}`)).rejects.toThrow(/does not exist|name unknown/i);
  });
});
