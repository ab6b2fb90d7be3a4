import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionTest as connectionTestSchema,
  registry as registrySchema,
  type ConnectionTest,
  type DeleteRegistryResult,
  type ExternalImage,
  type ExternalRepository,
  type ExternalTag,
  type Page,
  type Registry,
} from '@berth/api';
import { RegistryClient } from '@berth/oci';
import { freePort, selfSignedCert, skopeoCopy, startDistribution, startTokenServer, writeImageLayout, writeIndexLayout, type Distribution, type TokenServer } from '@berth/testkit';
import { repositoryWithUser, startBerth, type RunningBerth } from './harness.ts';

const LAB = { username: 'lab-robot', password: 'lab-password-Zq81x' };
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const sha256 = (bytes: Uint8Array) => `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** A plain HTTP server on loopback answering every request with `handler`. */
async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * External registries against real registries: a Debian distribution with htpasswd Basic auth
 * stands in for another team's registry. Connection tests (passing, and each way one fails),
 * adding only after a passed test, browsing in pages with the digests and sizes the registry
 * holds, pull-only refusing deletes, account changes tested before they are saved, deleting
 * with the repository's content upstream, and the account's password in no API answer, no log
 * line and not in clear in the database.
 */
describe('external registries', () => {
  let lab: Distribution;
  let berth: RunningBerth;
  let work: string;
  const logs: string[] = [];
  const answers: string[] = [];
  let app: Awaited<ReturnType<typeof writeImageLayout>>;
  let app2: Awaited<ReturnType<typeof writeImageLayout>>;
  let multi: Awaited<ReturnType<typeof writeIndexLayout>>;
  const closers: (() => Promise<void>)[] = [];

  /** Calls the API as admin (or `auth`), keeping every answer body to look for secrets in. */
  const api = async <T>(method: string, p: string, body?: unknown, auth?: string) => {
    const res = await berth.api<T>(method, p, body, auth);
    answers.push(JSON.stringify(res.body ?? null));
    return res;
  };
  const settings = (over: Record<string, unknown> = {}) => ({
    type: 'registry',
    url: lab.url,
    insecure: true,
    username: LAB.username,
    password: LAB.password,
    ...over,
  });
  const test = async (over: Record<string, unknown> = {}) => {
    const res = await api<ConnectionTest>('POST', '/registries/test', settings(over));
    expect(res.status).toBe(200);
    return connectionTestSchema.strict().parse(res.body);
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-external-'));
    lab = await startDistribution({ auth: LAB });
    const push = (layout: string, ref: string, all = false) => skopeoCopy(layout, `docker://${lab.host}/${ref}`, { destCreds: LAB, all });
    app = await writeImageLayout(path.join(work, 'app'), { tag: '1.0', layers: [{ randomBytes: 30_000, seed: 'external-app-1' }] });
    app2 = await writeImageLayout(path.join(work, 'app2'), { tag: '2.0', layers: [{ randomBytes: 20_000, seed: 'external-app-2' }] });
    multi = await writeIndexLayout(path.join(work, 'multi'), {
      tag: 'multi',
      platforms: [
        { os: 'linux', architecture: 'amd64', layers: [{ files: { 'x.txt': 'amd64' } }] },
        { os: 'linux', architecture: 'arm64', variant: 'v8', layers: [{ files: { 'x.txt': 'arm64' } }] },
      ],
    });
    await push(`oci:${path.join(work, 'app')}:1.0`, 'team/app:1.0');
    await push(`oci:${path.join(work, 'app2')}:2.0`, 'team/app:2.0');
    await push(`oci:${path.join(work, 'app2')}:2.0`, 'team/app:latest');
    await push(`oci:${path.join(work, 'app')}:1.0`, 'team/tools/cli:1');
    await push(`oci:${path.join(work, 'multi')}:multi`, 'team/multi:1', true);
    await push(`oci:${path.join(work, 'app')}:1.0`, 'busybox:stable');
    await push(`oci:${path.join(work, 'app')}:1.0`, 'scratch/x:1');
    await push(`oci:${path.join(work, 'app2')}:2.0`, 'scratch/y:2');
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    berth = await startBerth(null, { logger: pino({ level: 'debug' }, sink) });
  });

  afterAll(async () => {
    await berth?.stop();
    await lab?.stop();
    for (const close of closers) await close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('tests a connection: reachable, Basic, the account accepted, the repositories the catalog lists', async () => {
    const t = await test();
    expect(t).toMatchObject({ ok: true, reachable: true, auth: { scheme: 'basic', realm: null }, authAccepted: true });
    expect(t.catalog).toEqual({ allowed: true, repositories: ['_', 'scratch', 'team'], more: false, count: 3 });
    expect(t.message).toMatch(/Basic authentication.*3 repositories visible/);
    const bound = await test({ repository: 'team' });
    expect(bound.repository).toEqual({ name: 'team', found: true });
    const missing = await test({ repository: 'nobody' });
    expect(missing).toMatchObject({ ok: false, reason: 'repository_not_found', repository: { name: 'nobody', found: false } });
  });

  it('says why a connection fails: wrong password, nothing listening, not a registry, a redirect away, DNS, a refused address', async () => {
    expect(await test({ password: 'not-the-password' })).toMatchObject({ ok: false, reason: 'unauthorized', reachable: true, authAccepted: false });
    expect(await test({ username: null, password: null })).toMatchObject({ ok: false, reason: 'unauthorized' });

    const closed = await freePort();
    const refused = await test({ url: `http://127.0.0.1:${closed}` });
    expect(refused).toMatchObject({ ok: false, reason: 'refused', reachable: false });
    expect(refused.message).toBe(`nothing accepts connections at 127.0.0.1:${closed}`);

    const web = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    closers.push(web.close);
    const notRegistry = await test({ url: web.url });
    expect(notRegistry).toMatchObject({ ok: false, reason: 'not_registry' });
    expect(notRegistry.message).toContain('not as a container registry');

    // A redirect to another host (here another loopback address) is not followed.
    const away = await serve((_req, res) => res.writeHead(302, { location: 'http://127.0.0.2:9/v2/' }).end());
    closers.push(away.close);
    expect(await test({ url: away.url })).toMatchObject({ ok: false, reason: 'redirect' });

    const dns = await test({ url: 'https://registry.berth-test.invalid', insecure: false });
    expect(dns).toMatchObject({ ok: false, reason: 'dns' });
    expect(dns.message).toBe('the host name registry.berth-test.invalid does not resolve');

    for (const url of ['https://169.254.169.254', 'https://[fe80::1]', 'https://0.0.0.0:5000']) {
      expect(await test({ url, insecure: false }), url).toMatchObject({ ok: false, reason: 'blocked_address' });
    }
  });

  it('refuses settings it will not test: plain HTTP to a host that is not loopback, credentials in the URL, a path, a half account', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'http://registry.example.com' }, 'url'],
      [{ url: lab.url, insecure: false }, 'url'],
      [{ url: `http://u:p@${lab.host}` }, 'url'],
      [{ url: `${lab.url}/v2/` }, 'url'],
      [{ url: 'ftp://example.com' }, 'url'],
      [{ password: null }, 'password'],
      [{ repositoryMode: 'new' }, 'repositoryMode'],
      [{ repository: 'Bad Name' }, 'repository'],
    ];
    for (const [over, field] of cases) {
      const res = await api<ErrorBody>('POST', '/registries/test', settings(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details)).toContain(field);
    }
  });

  it('adds a registry only after a passed test; lists it after the managed one, with the account but never its password', async () => {
    const failed = await api<ErrorBody>('POST', '/registries', { ...settings({ password: 'wrong-password' }), name: 'lab' });
    expect(failed.status).toBe(422);
    expect(failed.body.error.code).toBe('CONNECTION_FAILED');
    expect(connectionTestSchema.parse(failed.body.error.details)).toMatchObject({ ok: false, reason: 'unauthorized' });
    expect((await api('GET', '/registries/lab')).status).toBe(404);

    const created = await api<Registry>('POST', '/registries', { ...settings(), name: 'lab' });
    expect(created.status).toBe(201);
    expect(registrySchema.strict().parse(created.body)).toMatchObject({
      name: 'lab',
      kind: 'external',
      type: 'registry',
      url: lab.url,
      publicHost: lab.host,
      engine: null,
      mode: 'read-write',
      capabilities: ['browse', 'pull', 'push', 'delete'],
      repository: null,
      username: LAB.username,
      insecure: true,
      repositoryCount: 3,
      createdBy: 'admin',
    });
    expect(created.body.lastTest).toMatchObject({ ok: true });
    expect((await api<ErrorBody>('POST', '/registries', { ...settings(), name: 'lab' })).body.error.code).toBe('ALREADY_EXISTS');
    expect((await api<ErrorBody>('POST', '/registries', { ...settings(), name: 'default' })).status).toBe(400);

    const list = await api<Page<Registry>>('GET', '/registries?limit=1');
    expect(list.body.items.map((r) => r.name)).toEqual(['default']);
    const next = await api<Page<Registry>>('GET', `/registries?limit=1&cursor=${list.body.nextCursor}`);
    expect(next.body.items.map((r) => r.name)).toEqual(['lab']);
    expect((await api<Page<Registry>>('GET', '/registries?q=LAB')).body.items.map((r) => r.name)).toEqual(['lab']);

    // Sealed at rest: the row holds no password in clear.
    const row = await berth.store.registries.get('lab');
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain(LAB.password);
    expect(row!.secret).not.toContain(Buffer.from(LAB.password).toString('base64'));
  });

  it('browses repositories, images and tags in pages, with the digests, sizes and platforms the registry holds', async () => {
    const repos = await api<Page<ExternalRepository>>('GET', '/registries/lab/repositories?limit=2');
    expect(repos.status).toBe(200);
    expect(repos.body.items).toEqual([
      { name: '_', imageCount: 1 },
      { name: 'scratch', imageCount: 2 },
    ]);
    const rest = await api<Page<ExternalRepository>>('GET', `/registries/lab/repositories?limit=2&cursor=${repos.body.nextCursor}`);
    expect(rest.body).toEqual({ items: [{ name: 'team', imageCount: 3 }], nextCursor: null });

    const images = await api<Page<ExternalImage>>('GET', '/registries/lab/repositories/team/images');
    expect(images.body.items).toEqual([
      { repository: 'team', name: 'app', fullName: 'team/app' },
      { repository: 'team', name: 'multi', fullName: 'team/multi' },
      { repository: 'team', name: 'tools/cli', fullName: 'team/tools/cli' },
    ]);
    expect((await api<Page<ExternalImage>>('GET', '/registries/lab/repositories/_/images')).body.items).toEqual([{ repository: '_', name: 'busybox', fullName: 'busybox' }]);

    const first = await api<Page<ExternalTag>>('GET', '/registries/lab/repositories/team/images/app/tags?limit=2');
    expect(first.body.items.map((t) => [t.name, t.digest])).toEqual([
      ['1.0', app.manifestDigest],
      ['2.0', app2.manifestDigest],
    ]);
    expect(first.body.items[0]).toMatchObject({ size: app.totalSize, platforms: [], childCount: 0, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    const second = await api<Page<ExternalTag>>('GET', `/registries/lab/repositories/team/images/app/tags?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ name: 'latest', digest: app2.manifestDigest }], nextCursor: null });

    const index = await api<Page<ExternalTag>>('GET', '/registries/lab/repositories/team/images/multi/tags');
    expect(index.body.items[0]).toMatchObject({ name: '1', digest: multi.indexDigest, childCount: 2 });
    expect(index.body.items[0]!.platforms.map((p) => p.architecture)).toEqual(['amd64', 'arm64']);
    const nested = await api<Page<ExternalTag>>('GET', `/registries/lab/repositories/team/images/${encodeURIComponent('tools/cli')}/tags`);
    expect(nested.body.items.map((t) => t.name)).toEqual(['1']);

    const raw = await fetch(`${berth.url}/api/v1/registries/lab/repositories/team/images/app/manifests/1.0`, { headers: { authorization: basic('admin', 'integration-admin-pw') } });
    const bytes = new Uint8Array(await raw.arrayBuffer());
    expect(raw.headers.get('docker-content-digest')).toBe(app.manifestDigest);
    expect(sha256(bytes)).toBe(app.manifestDigest);

    expect((await api<ErrorBody>('GET', '/registries/lab/repositories/team/images/nothing/tags')).body.error.code).toBe('IMAGE_NOT_FOUND');
    expect((await api<ErrorBody>('GET', '/registries/lab/repositories/team/images/app/tags?cursor=junk')).body.error.code).toBe('INVALID_CURSOR');
    expect((await api<ErrorBody>('GET', '/registries/nowhere/repositories')).status).toBe(404);
    expect((await api<ErrorBody>('GET', '/registries/default/repositories')).body.error.code).toBe('REGISTRY_UNSUPPORTED');
  });

  it('lets a viewer browse but not add, test, change or delete; a repository user (a /v2 credential) is not an API account', async () => {
    expect((await api('POST', '/accounts', { username: 'ext-viewer', password: 'viewer-password-1', role: 'viewer' })).status).toBe(201);
    const viewer = basic('ext-viewer', 'viewer-password-1');
    expect((await api('GET', '/registries/lab/repositories', undefined, viewer)).status).toBe(200);
    expect((await api('GET', '/registries/lab', undefined, viewer)).status).toBe(200);
    for (const [method, p, body] of [
      ['POST', '/registries', { ...settings(), name: 'sneaky' }],
      ['POST', '/registries/test', settings()],
      ['POST', '/registries/lab/test', {}],
      ['PATCH', '/registries/lab', { password: 'x' }],
      ['DELETE', '/registries/lab', undefined],
    ] as const) {
      const res = await api<ErrorBody>(method, p, body, viewer);
      expect(res.status, `${method} ${p}`).toBe(403);
    }
    const robotSecret = await repositoryWithUser(berth, 'robots', 'ci', 'push');
    expect((await api<ErrorBody>('GET', '/registries/lab/repositories', undefined, basic('robots', robotSecret))).status).toBe(401);
  });

  it('re-tests the saved settings, or another account without saving it; an account change is saved only after it passes', async () => {
    const before = (await berth.store.registries.get('lab'))!;
    const other = await api<ConnectionTest>('POST', '/registries/lab/test', { password: 'wrong-again' });
    expect(other.body).toMatchObject({ ok: false, reason: 'unauthorized' });
    expect((await berth.store.registries.get('lab'))!.lastTest).toBe(before.lastTest);

    const saved = await api<ConnectionTest>('POST', '/registries/lab/test', {});
    expect(saved.body).toMatchObject({ ok: true });
    expect(JSON.parse((await berth.store.registries.get('lab'))!.lastTest!)).toEqual(saved.body);

    const refused = await api<ErrorBody>('PATCH', '/registries/lab', { username: LAB.username, password: 'wrong-password' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CONNECTION_FAILED');
    expect((await berth.store.registries.get('lab'))!.secret).toBe(before.secret);
    // The saved account still works.
    expect((await api('GET', '/registries/lab/repositories/team/images')).status).toBe(200);

    const changed = await api<Registry>('PATCH', '/registries/lab', { username: LAB.username, password: LAB.password, repository: 'team' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ repository: 'team', repositoryCount: 1, updatedBy: 'admin', lastTest: { ok: true, repository: { name: 'team', found: true } } });
    const sealed = (await berth.store.registries.get('lab'))!.secret;
    expect(sealed).not.toBe(before.secret); // sealed again, with a fresh IV
    expect((await api<Page<ExternalRepository>>('GET', '/registries/lab/repositories')).body.items.map((r) => r.name)).toEqual(['team']);
    expect((await api<ErrorBody>('GET', '/registries/lab/repositories/scratch/images')).body.error.code).toBe('REPOSITORY_NOT_FOUND');
    expect((await api<ErrorBody>('PATCH', '/registries/default', { username: 'x', password: 'y' })).body.error.code).toBe('REGISTRY_UNSUPPORTED');
  });

  it('a pull-only registry has no push or delete: deleting it with its upstream repository is refused and nothing goes', async () => {
    const ro = await api<Registry>('POST', '/registries', { ...settings({ mode: 'pull-only', repository: 'scratch' }), name: 'lab-ro' });
    expect(ro.status).toBe(201);
    expect(ro.body).toMatchObject({ mode: 'pull-only', capabilities: ['browse', 'pull'] });
    const refused = await api<ErrorBody>('DELETE', '/registries/lab-ro?deleteUpstream=true');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('REGISTRY_PULL_ONLY');
    expect((await api('GET', '/registries/lab-ro')).status).toBe(200);
    const direct = new RegistryClient(lab.url, LAB);
    expect(await direct.tags('scratch/x')).toEqual(['1']);
    // Without the upstream, it is only forgotten by Berth.
    const forgotten = await api<DeleteRegistryResult>('DELETE', '/registries/lab-ro');
    expect(forgotten.body).toEqual({ deleted: true, upstream: null });
    expect(await direct.tags('scratch/x')).toEqual(['1']);
  });

  it('deletes a registry with its repository content upstream, reporting each manifest deleted', async () => {
    expect((await api('POST', '/registries', { ...settings({ repository: 'scratch' }), name: 'lab-scratch' })).status).toBe(201);
    const res = await api<DeleteRegistryResult>('DELETE', '/registries/lab-scratch?deleteUpstream=true');
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBe(true);
    expect(res.body.upstream!.failed).toEqual([]);
    expect(res.body.upstream!.deleted).toEqual([
      { image: 'scratch/x', digest: app.manifestDigest, tags: ['1'] },
      { image: 'scratch/y', digest: app2.manifestDigest, tags: ['2'] },
    ]);
    const direct = new RegistryClient(lab.url, LAB);
    expect(await direct.hasManifest('scratch/x', app.manifestDigest)).toBe(false);
    expect(await direct.hasManifest('scratch/y', app2.manifestDigest)).toBe(false);
    // Other repositories of the registry are untouched (the same digests live on there).
    expect(await direct.hasManifest('team/app', app.manifestDigest)).toBe(true);
    expect((await api('GET', '/registries/lab-scratch')).status).toBe(404);
  });

  it('never lets the password out: no API answer and no log line holds it, in clear or as a Basic header', async () => {
    const forms = [LAB.password, Buffer.from(`${LAB.username}:${LAB.password}`).toString('base64'), Buffer.from(LAB.password).toString('base64')];
    expect(answers.length).toBeGreaterThan(40);
    expect(logs.join('').length).toBeGreaterThan(1000);
    for (const form of forms) {
      for (const a of answers) expect(a).not.toContain(form);
      for (const line of logs) expect(line).not.toContain(form);
    }
    expect(logs.join('')).toContain('registry connection tested');
  });
});

/**
 * A distribution with Docker token auth (a token service in this test signs the tokens it
 * checks) and one serving TLS with a certificate Berth does not trust: the Bearer flow
 * through a realm on another port, an account that may pull but not list the catalog,
 * browsing with tokens, and the two TLS failures.
 */
describe('external registries behind a token service, and over TLS', () => {
  const ALICE = { username: 'alice', password: 'alice-token-pw-77' };
  const PULLER = { username: 'puller', password: 'puller-token-pw-42' };
  let tokens: TokenServer;
  let reg: Distribution;
  let tls: Distribution;
  let berth: RunningBerth;
  let work: string;
  let app: Awaited<ReturnType<typeof writeImageLayout>>;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-external-token-'));
    tokens = await startTokenServer({
      users: { [ALICE.username]: ALICE.password, [PULLER.username]: PULLER.password },
      service: 'berth-test-registry',
      issuer: 'berth-test-issuer',
      dir: work,
      // alice may do everything; puller may pull repositories but not list the catalog.
      grant: (user, asked) => (user === 'alice' ? asked.actions : user === 'puller' && asked.type === 'repository' ? asked.actions.filter((a) => a === 'pull') : []),
    });
    reg = await startDistribution({ tokenAuth: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: tokens.rootCertPath } });
    app = await writeImageLayout(path.join(work, 'app'), { tag: '1.0', layers: [{ randomBytes: 10_000, seed: 'external-token' }] });
    // skopeo follows the same challenge: the push itself proves the token service works.
    await skopeoCopy(`oci:${path.join(work, 'app')}:1.0`, `docker://${reg.host}/team/app:1.0`, { destCreds: ALICE });
    const cert = selfSignedCert(work);
    tls = await startDistribution({ tls: cert });
    berth = await startBerth(null);
  });

  afterAll(async () => {
    await berth?.stop();
    await reg?.stop();
    await tls?.stop();
    await tokens?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const test = async (body: Record<string, unknown>) => {
    const res = await berth.api<ConnectionTest>('POST', '/registries/test', { type: 'registry', insecure: true, ...body });
    expect(res.status).toBe(200);
    return connectionTestSchema.strict().parse(res.body);
  };

  it('passes the Bearer flow: a token from the realm with the account, the catalog with a catalog-scoped token', async () => {
    const t = await test({ url: reg.url, ...ALICE });
    expect(t).toMatchObject({ ok: true, auth: { scheme: 'bearer', realm: new URL(tokens.realm).host }, authAccepted: true, catalog: { allowed: true, repositories: ['team'], count: 1 } });
    expect(t.message).toContain(`token service at ${new URL(tokens.realm).host}`);
  });

  it('says the token service refused a wrong password, and that an account without catalog access cannot list repositories', async () => {
    const wrong = await test({ url: reg.url, username: ALICE.username, password: 'wrong-password' });
    expect(wrong).toMatchObject({ ok: false, reason: 'unauthorized', reachable: true, auth: { scheme: 'bearer' } });
    expect(wrong.message).toContain('refused the username or password');
    const puller = await test({ url: reg.url, ...PULLER, repository: 'team' });
    expect(puller).toMatchObject({ ok: true, catalog: { allowed: false, repositories: [], count: null }, repository: { name: 'team', found: null } });
    expect(puller.message).toContain('does not list its repositories');
  });

  it('browses with tokens; with a pull-only account the catalog is unavailable but an image opens by name', async () => {
    expect((await berth.api('POST', '/registries', { type: 'registry', url: reg.url, insecure: true, ...ALICE, name: 'tokens' })).status).toBe(201);
    const tags = await berth.api<Page<ExternalTag>>('GET', '/registries/tokens/repositories/team/images/app/tags');
    expect(tags.body.items.map((t) => [t.name, t.digest])).toEqual([['1.0', app.manifestDigest]]);
    expect((await berth.api<Page<ExternalRepository>>('GET', '/registries/tokens/repositories')).body.items).toEqual([{ name: 'team', imageCount: 1 }]);

    expect((await berth.api('POST', '/registries', { type: 'registry', url: reg.url, insecure: true, ...PULLER, mode: 'pull-only', name: 'tokens-ro' })).status).toBe(201);
    const denied = await berth.api<ErrorBody>('GET', '/registries/tokens-ro/repositories');
    expect(denied.status).toBe(409);
    expect(denied.body.error.code).toBe('CATALOG_UNAVAILABLE');
    const byName = await berth.api<Page<ExternalTag>>('GET', '/registries/tokens-ro/repositories/team/images/app/tags');
    expect(byName.body.items.map((t) => t.digest)).toEqual([app.manifestDigest]);
  });

  it('says TLS is required when plain HTTP meets a TLS port, and that a self-signed certificate is not trusted', async () => {
    const port = new URL(tls.url).port;
    const plain = await test({ url: `http://127.0.0.1:${port}` });
    expect(plain).toMatchObject({ ok: false, reason: 'tls_required', reachable: false });
    expect(plain.message).toBe(`127.0.0.1:${port} requires TLS: use an https:// URL`);
    const untrusted = await test({ url: tls.url, insecure: false });
    expect(untrusted).toMatchObject({ ok: false, reason: 'tls' });
    expect(untrusted.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
    // And https to a plain HTTP port.
    const wrongWay = await test({ url: reg.url.replace('http://', 'https://'), insecure: false });
    expect(wrongWay).toMatchObject({ ok: false, reason: 'tls' });
    expect(wrongWay.message).toContain('does not speak TLS on that port');
  });
});
