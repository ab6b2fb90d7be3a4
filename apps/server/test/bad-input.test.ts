import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Page } from '@berth/api';
import { skopeoCopy, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Bad input on /v2 and /api/v1: the right 4xx and code, never a 5xx, nothing stored changes. */
describe('bad input', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let auth: string;
  let work: string;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bad-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    const secret = await repositoryWithUser(berth, 'team', 'ci', 'push');
    auth = `Basic ${Buffer.from(`team:${secret}`).toString('base64')}`;
    const layout = path.join(work, 'img');
    await writeImageLayout(layout, { tag: 'keep', layers: [{ files: { 'k.txt': 'keep me' } }] });
    await skopeoCopy(`oci:${layout}:keep`, `docker://${berth.host}/team/app:keep`, { destCreds: { username: 'team', password: secret } });
    snapshot = async () => {
      const tags = await fetch(`${registry.url}/v2/team/app/tags/list`).then((r) => r.json());
      const artifacts = await berth.api<Page<Artifact>>('GET', '/repositories/team/images/app/artifacts');
      const images = await berth.api('GET', '/repositories/team/images');
      const catalog = await fetch(`${registry.url}/v2/_catalog`).then((r) => r.json());
      return { tags, artifacts: artifacts.body, images: images.body, catalog };
    };
  });

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const v2 = (p: string, init: RequestInit = {}) =>
    fetch(`${berth.url}${p}`, { ...init, headers: { authorization: auth, ...(init.headers as Record<string, string>) } });
  const code = async (res: Response) => ((await res.json()) as { errors: { code: string }[] }).errors[0]!.code;

  it.each([
    ['/v2/team/../etc/manifests/latest', 'NAME_INVALID'],
    ['/v2/team/%2e%2e/app/manifests/latest', 'NAME_INVALID'],
    ['/v2/team%2f..%2fapp/manifests/latest', 'NAME_INVALID'],
    ['/v2/Team/App/manifests/latest', 'NAME_INVALID'],
    ['/v2/team/app/blobs/sha256:1234', 'DIGEST_INVALID'],
  ])('GET %s → 400 %s', async (p, expected) => {
    const res = await v2(p);
    expect(res.status).toBe(400);
    expect(await code(res)).toBe(expected);
  });

  it.each(['/v2/team/app/manifests/sha256:notadigest', '/v2/team/app/manifests/-tag'])('a manifest read of %s (neither tag nor digest) finds nothing: 404 MANIFEST_UNKNOWN; a write of it is 400 MANIFEST_INVALID', async (p) => {
    const get = await v2(p);
    expect([get.status, await code(get)]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const head = await v2(p, { method: 'HEAD' });
    expect(head.status).toBe(404);
    const put = await v2(p, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: '{}' });
    expect([put.status, await code(put)]).toEqual([400, 'MANIFEST_INVALID']);
  });

  it('refuses manifests that cannot be stored, leaving everything as it was', async () => {
    const before = await snapshot();
    const put = (body: Buffer | string, ref = 'bad', type = OCI_MANIFEST) =>
      v2(`/v2/team/app/manifests/${ref}`, { method: 'PUT', headers: { 'content-type': type }, body });

    const invalidJson = await put('{"schemaVersion": 2, ');
    expect([invalidJson.status, await code(invalidJson)]).toEqual([400, 'MANIFEST_INVALID']);

    const missing = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha('nope-config'), size: 11 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha('nope-layer'), size: 10 }],
    });
    const missingBlob = await put(missing);
    expect(missingBlob.status).toBe(400);
    expect(await code(missingBlob)).toBe('MANIFEST_BLOB_UNKNOWN');

    const wrongDigest = await put(missing, sha('something else'));
    expect([wrongDigest.status, await code(wrongDigest)]).toEqual([400, 'DIGEST_INVALID']);

    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const tooLarge = await put(huge);
    expect([tooLarge.status, await code(tooLarge)]).toEqual([413, 'MANIFEST_INVALID']);

    const overwrite = await put(Buffer.from('not json at all'), 'keep');
    expect(overwrite.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an upload whose digest does not match, storing nothing', async () => {
    const before = await snapshot();
    const start = await v2('/v2/team/app/blobs/uploads/', { method: 'POST' });
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    expect(location.startsWith('/v2/team/app/blobs/uploads/')).toBe(true);
    const url = new URL(location, berth.url);
    const claimed = sha('other bytes');
    url.searchParams.set('digest', claimed);
    const put = await v2(url.pathname + url.search, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'these bytes',
    });
    expect(put.status).toBe(400);
    expect(await code(put)).toBe('DIGEST_INVALID');
    const blob = await v2(`/v2/team/app/blobs/${claimed}`, { method: 'HEAD' });
    expect(blob.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  describe('/api/v1', () => {
    const admin = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const api = (method: string, p: string, body?: string, headers: Record<string, string> = {}) =>
      fetch(`${berth.url}/api/v1${p}`, {
        method,
        headers: { authorization: admin, 'content-type': 'application/json', ...headers },
        body,
      });
    const apiCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

    it.each([
      ['invalid JSON', 'POST', '/repositories', '{"name": ', 400, 'BAD_REQUEST'],
      ['an unknown field', 'POST', '/repositories', '{"name":"fine","owner":"x"}', 400, 'VALIDATION_FAILED'],
      ['a bad repository name', 'POST', '/repositories', '{"name":"../etc"}', 400, 'VALIDATION_FAILED'],
      ['an upper-case name', 'POST', '/repositories', '{"name":"Team"}', 400, 'VALIDATION_FAILED'],
      ['an existing name', 'POST', '/repositories', '{"name":"team"}', 409, 'ALREADY_EXISTS'],
      ['a bad permission', 'POST', '/repositories/team/users', '{"name":"x","permission":"admin"}', 400, 'VALIDATION_FAILED'],
      ['a past expiry', 'POST', '/repositories/team/users', '{"name":"x","permission":"pull","expiresAt":"2001-01-01T00:00:00Z"}', 400, 'VALIDATION_FAILED'],
      ['a bad cursor', 'GET', '/repositories/team/images?cursor=zzz', undefined, 400, 'INVALID_CURSOR'],
      ['a bad sort', 'GET', '/repositories/team/images?sort=owner', undefined, 400, 'VALIDATION_FAILED'],
      ['a limit too large', 'GET', '/repositories/team/images?limit=100000', undefined, 400, 'VALIDATION_FAILED'],
      ['an unknown repository', 'GET', '/repositories/nope/images', undefined, 404, 'REPOSITORY_NOT_FOUND'],
      ['an unknown image', 'GET', `/repositories/team/images/${encodeURIComponent('no/such')}`, undefined, 404, 'IMAGE_NOT_FOUND'],
      ['deleting a repository that holds images', 'DELETE', '/repositories/team', undefined, 409, 'REPOSITORY_NOT_EMPTY'],
      ['an unknown route', 'GET', '/nothing-here', undefined, 404, 'NOT_FOUND'],
    ])('answers %s with the right error', async (_label, method, p, body, status, expected) => {
      const before = await snapshot();
      const res = await api(method, p, body);
      expect(res.status).toBe(status);
      expect(await apiCode(res)).toBe(expected);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses calls without credentials, and with wrong ones', async () => {
      const none = await fetch(`${berth.url}/api/v1/repositories`);
      expect([none.status, await apiCode(none)]).toEqual([401, 'UNAUTHENTICATED']);
      const wrong = await fetch(`${berth.url}/api/v1/repositories`, { headers: { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` } });
      expect([wrong.status, await apiCode(wrong)]).toEqual([401, 'INVALID_CREDENTIALS']);
    });

    it('takes a U+0000 in a username or a name as just another wrong one, on either store', async () => {
      const basic = `Basic ${Buffer.from('ad\0min:nope').toString('base64')}`;
      expect((await fetch(`${berth.url}/api/v1/repositories`, { headers: { authorization: basic } })).status).toBe(401);
      expect((await fetch(`${berth.url}/service/token?service=berth&scope=repository:team/app:pull`, { headers: { authorization: basic } })).status).toBe(401);
      const login = await fetch(`${berth.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ad\0min', password: ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(401);
      expect((await api('GET', '/repositories/te%00am')).status).toBe(404);
    });
  });
});
