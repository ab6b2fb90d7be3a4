import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skopeoCopy, skopeoInstalled, skopeoListTags } from './clients.ts';
import { distributionInstalled, startDistribution, type Distribution } from './distribution.ts';
import { writeImageLayout } from './oci-layout.ts';
import { tempDir, type TempDir } from './ports.ts';
import { selfSignedCert, startTokenServer, type TokenServer } from './token-server.ts';

const ALICE = { username: 'alice', password: 'alice-pw-31' };
const BOB = { username: 'bob', password: 'bob-pw-58' };

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Asks the token server for a token with these scopes (one `scope` parameter each). */
async function getToken(server: TokenServer, scopes: string[], creds?: { username: string; password: string }): Promise<Response> {
  const url = new URL(server.realm);
  url.searchParams.set('service', server.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  return fetch(url, { headers: creds ? { authorization: basic(creds.username, creds.password) } : {} });
}

async function token(server: TokenServer, scopes: string[], creds?: { username: string; password: string }): Promise<string> {
  const res = await getToken(server, scopes, creds);
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

function jwtPart(jwt: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Pushes a tiny OCI image (a `{}` config blob and a manifest without layers) with plain fetch. */
async function pushTiny(base: string, name: string, tag: string, headers: Record<string, string>): Promise<Response> {
  const config = Buffer.from('{}');
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const post = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST', headers });
  expect(post.status).toBe(202);
  const location = new URL(post.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: config });
  expect(put.status).toBe(201);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length },
    layers: [],
  });
  return fetch(`${base}/v2/${name}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
}

describe.runIf(distributionInstalled())('startTokenServer with a token-auth distribution', () => {
  let tokens: TokenServer;
  let reg: Distribution;

  beforeAll(async () => {
    tokens = await startTokenServer({
      users: { [ALICE.username]: ALICE.password, [BOB.username]: BOB.password },
      service: 'testkit-registry',
      issuer: 'testkit-issuer',
      // alice gets what she asks; bob may only pull; anonymous nothing.
      grant: (user, asked) => (user === 'alice' ? asked.actions : user === 'bob' ? asked.actions.filter((a) => a === 'pull') : []),
    });
    reg = await startDistribution({ tokenAuth: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: tokens.rootCertPath } });
  });

  afterAll(async () => {
    await reg?.stop();
    await tokens?.stop();
  });

  it('listens on 127.0.0.1 with the realm under /token', () => {
    expect(tokens.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(tokens.realm).toBe(`${tokens.url}/token`);
    expect(existsSync(tokens.rootCertPath)).toBe(true);
  });

  it('the registry challenges a request without a token with the realm and service', async () => {
    const res = await fetch(`${reg.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${tokens.realm}",service="${tokens.service}"`);
  });

  it('answers a token shaped as distribution 2.8 checks it: ES256, x5c = the root bundle certificate, the claims', async () => {
    const res = await getToken(tokens, ['repository:team/app:push,pull'], ALICE);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBeGreaterThan(60);
    expect(Number.isNaN(Date.parse(body.issued_at))).toBe(false);

    const header = jwtPart(body.token, 0);
    expect(header.alg).toBe('ES256');
    const root = new X509Certificate(readFileSync(tokens.rootCertPath));
    expect(header.x5c).toEqual([root.raw.toString('base64')]);

    const claims = jwtPart(body.token, 1);
    const now = Date.now() / 1000;
    expect(claims).toMatchObject({ iss: 'testkit-issuer', sub: 'alice', aud: 'testkit-registry' });
    expect(claims.access).toEqual([{ type: 'repository', name: 'team/app', actions: ['push', 'pull'] }]);
    expect(claims.nbf as number).toBeLessThanOrEqual(now);
    expect(claims.exp as number).toBeGreaterThan(now);
    expect(typeof claims.jti).toBe('string');
  });

  it('refuses a wrong password and an unknown user with 401', async () => {
    const before = tokens.requests();
    expect((await getToken(tokens, ['repository:team/app:pull'], { username: 'alice', password: 'nope' })).status).toBe(401);
    expect((await getToken(tokens, ['repository:team/app:pull'], { username: 'mallory', password: 'x' })).status).toBe(401);
    expect(tokens.requests()).toBe(before + 2);
  });

  it('lets alice push with a push,pull token, and list the catalog with a catalog-scoped token', async () => {
    const push = await token(tokens, ['repository:team/app:push,pull'], ALICE);
    const put = await pushTiny(reg.url, 'team/app', '1', { authorization: `Bearer ${push}` });
    expect(put.status).toBe(201);

    // A repository token does not reach the catalog.
    expect((await fetch(`${reg.url}/v2/_catalog`, { headers: { authorization: `Bearer ${push}` } })).status).toBe(401);
    const catalog = await token(tokens, ['registry:catalog:*'], ALICE);
    expect(jwtPart(catalog, 1).access).toEqual([{ type: 'registry', name: 'catalog', actions: ['*'] }]);
    const res = await fetch(`${reg.url}/v2/_catalog`, { headers: { authorization: `Bearer ${catalog}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { repositories: string[] }).repositories).toContain('team/app');
  });

  it('takes several scope parameters in one token', async () => {
    const both = await token(tokens, ['repository:team/app:pull', 'registry:catalog:*'], ALICE);
    expect(jwtPart(both, 1).access).toHaveLength(2);
    const headers = { authorization: `Bearer ${both}` };
    expect((await fetch(`${reg.url}/v2/_catalog`, { headers })).status).toBe(200);
    expect((await fetch(`${reg.url}/v2/team/app/tags/list`, { headers })).status).toBe(200);
  });

  it('grants what grant allows: bob pulls but may not push; anonymous gets a token with no actions', async () => {
    const bob = await token(tokens, ['repository:team/app:push,pull'], BOB);
    expect(jwtPart(bob, 1).access).toEqual([{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
    expect((await fetch(`${reg.url}/v2/team/app/tags/list`, { headers: { authorization: `Bearer ${bob}` } })).status).toBe(200);
    const post = await fetch(`${reg.url}/v2/team/app/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${bob}` } });
    expect(post.status).toBe(401);
    expect(post.headers.get('www-authenticate')).toContain('error="insufficient_scope"');

    const anon = await token(tokens, ['repository:team/app:pull']);
    expect(jwtPart(anon, 1)).toMatchObject({ sub: '', access: [{ type: 'repository', name: 'team/app', actions: [] }] });
    expect((await fetch(`${reg.url}/v2/team/app/tags/list`, { headers: { authorization: `Bearer ${anon}` } })).status).toBe(401);
  });

  it.runIf(skopeoInstalled())('serves skopeo through the whole challenge: a push with alice, a refused push with a wrong password', async () => {
    const work = await tempDir('token-skopeo');
    try {
      await writeImageLayout(join(work.path, 'img'), { tag: 'v1', layers: [{ files: { 'hello.txt': 'hi' } }] });
      await skopeoCopy(`oci:${join(work.path, 'img')}:v1`, `docker://${reg.host}/team/skopeo:v1`, { destCreds: ALICE });
      expect(await skopeoListTags(`${reg.host}/team/skopeo`, { creds: BOB })).toEqual(['v1']);
      await expect(
        skopeoCopy(`oci:${join(work.path, 'img')}:v1`, `docker://${reg.host}/team/skopeo:v2`, { destCreds: { username: 'alice', password: 'wrong' } }),
      ).rejects.toThrow();
    } finally {
      await work.cleanup();
    }
  });
});

describe('startTokenServer temp files', () => {
  it('writes the signing certificate to its own temp dir and removes it on stop', async () => {
    const server = await startTokenServer({ users: {}, service: 's', issuer: 'i' });
    expect(existsSync(server.rootCertPath)).toBe(true);
    await server.stop();
    await server.stop();
    expect(existsSync(server.rootCertPath)).toBe(false);
  });

  it('keeps the files in a dir it was given', async () => {
    const dir = await tempDir('token-given');
    try {
      const server = await startTokenServer({ users: {}, service: 's', issuer: 'i', dir: dir.path });
      expect(server.rootCertPath.startsWith(dir.path)).toBe(true);
      await server.stop();
      expect(existsSync(server.rootCertPath)).toBe(true);
    } finally {
      await dir.cleanup();
    }
  });
});

describe.runIf(distributionInstalled())('startDistribution with TLS', () => {
  let work: TempDir;
  let reg: Distribution;
  let certPem: Buffer;

  beforeAll(async () => {
    work = await tempDir('tls-distribution');
    const cert = selfSignedCert(work.path);
    certPem = readFileSync(cert.certPath);
    reg = await startDistribution({ tls: cert });
  });

  afterAll(async () => {
    await reg?.stop();
    await work?.cleanup();
  });

  it('serves https on 127.0.0.1', () => {
    expect(reg.url).toBe(`https://127.0.0.1:${reg.port}`);
  });

  it('makes a certificate for 127.0.0.1', () => {
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('CN=127.0.0.1');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('is refused by a default https fetch: the certificate is self-signed', async () => {
    const err = await fetch(`${reg.url}/v2/`).then(
      () => null,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']).toContain(err!.cause?.code);
  });

  it('answers over https to a client that trusts the certificate', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${reg.url}/v2/`, { ca: certPem }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .once('error', reject);
    });
    expect(status).toBe(200);
  });

  it('answers plain http on its port with 400 "Client sent an HTTP request to an HTTPS server"', async () => {
    const res = await fetch(`http://${reg.host}/v2/`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Client sent an HTTP request to an HTTPS server');
  });
});
