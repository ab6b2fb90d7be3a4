import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '@berth/store';
import { registryToken, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

// What distribution 2.8 lacks, answered by Berth (on every upstream alike): tags/list with
// n/last and Link, the referrers API, OCI-Subject on a push with a subject, and 416 for a
// chunk that does not continue the upload. Raw /v2 calls, as a client makes them.

const sha256 = (bytes: Uint8Array) => `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(Buffer.from('{}')), size: 2 };

describe('OCI distribution 1.1 through Berth', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let token: string;
  let basic: string;
  const name = 'team/app';

  const v2 = (method: string, path: string, init: { body?: Buffer; headers?: Record<string, string>; auth?: string | null } = {}) =>
    fetch(new URL(path, berth.url), {
      method,
      body: init.body,
      headers: { ...(init.auth === null ? {} : { authorization: init.auth ?? `Bearer ${token}` }), ...init.headers },
      redirect: 'manual',
    });

  /** Uploads a blob in one PUT (POST, then PUT with the digest). */
  const pushBlob = async (bytes: Buffer) => {
    const started = await v2('POST', `/v2/${name}/blobs/uploads/`);
    expect(started.status).toBe(202);
    const put = new URL(started.headers.get('location')!, berth.url);
    put.searchParams.set('digest', sha256(bytes));
    const done = await v2('PUT', put.pathname + put.search, { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(done.status).toBe(201);
  };

  const manifest = (extra: Record<string, unknown> = {}, config: { mediaType: string; digest: string; size: number } = EMPTY) =>
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [EMPTY], ...extra }));

  const pushManifest = (ref: string, body: Buffer) => v2('PUT', `/v2/${name}/manifests/${ref}`, { body, headers: { 'content-type': OCI_MANIFEST } });

  beforeAll(async () => {
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    const secret = await repositoryWithUser(berth, 'team', 'cleaner', 'delete');
    token = await registryToken(berth, { username: 'team', password: secret }, `repository:${name}:pull,push,delete`);
    basic = `Basic ${Buffer.from(`team:${secret}`).toString('base64')}`;
    await pushBlob(Buffer.from('{}'));
  }, 60_000);

  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
  });

  describe('tags/list', () => {
    const tags = ['v2', '1.0', 'B', 'latest', 'a-1', 'a1', '_x'];
    const sorted = ['1.0', 'B', '_x', 'a-1', 'a1', 'latest', 'v2'];

    beforeAll(async () => {
      const body = manifest({ annotations: { purpose: 'tags' } });
      for (const tag of tags) expect((await pushManifest(tag, body)).status).toBe(201);
    });

    const list = async (query: string) => {
      const res = await v2('GET', `/v2/${name}/tags/list${query}`);
      return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as { name?: string; tags?: string[]; errors?: { code: string }[] } };
    };

    it('lists every tag in byte order without n', async () => {
      expect(await list('')).toEqual({ status: 200, link: null, body: { name, tags: sorted } });
    });

    it('pages with n and last, linking to the next page until the last one', async () => {
      const pages: string[][] = [];
      let next: string | null = `/v2/${name}/tags/list?n=3`;
      while (next) {
        const res = await v2('GET', next);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { tags: string[] };
        pages.push(body.tags);
        const link = res.headers.get('link');
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
      }
      expect(pages).toEqual([
        ['1.0', 'B', '_x'],
        ['a-1', 'a1', 'latest'],
        ['v2'],
      ]);
      expect(await list('?n=2&last=a-1')).toEqual({ status: 200, link: `</v2/${name}/tags/list?n=2&last=latest>; rel="next"`, body: { name, tags: ['a1', 'latest'] } });
      // `last` need not be a tag; after the last tag there is nothing.
      expect((await list('?last=b')).body.tags).toEqual(['latest', 'v2']);
      expect(await list('?n=5&last=v2')).toEqual({ status: 200, link: null, body: { name, tags: [] } });
    });

    it('answers n=0 with an empty list, and a bad n with 400', async () => {
      expect(await list('?n=0')).toEqual({ status: 200, link: null, body: { name, tags: [] } });
      for (const n of ['-1', 'ten', '2.5']) {
        const res = await list(`?n=${n}`);
        expect(res.status).toBe(400);
      }
    });

    it('answers NAME_UNKNOWN for an image nothing was pushed to, and asks who the caller is first', async () => {
      const unknown = await v2('GET', '/v2/team/nothing/tags/list', { auth: basic });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('NAME_UNKNOWN');
      const anonymous = await v2('GET', `/v2/${name}/tags/list`, { auth: null });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain(`scope="repository:${name}:pull"`);
    });
  });

  describe('referrers and OCI-Subject', () => {
    let subject: Buffer;
    let signature: Buffer;
    let sbom: Buffer;
    const sbomConfig = Buffer.from('{"kind":"sbom"}');

    beforeAll(async () => {
      subject = manifest({ annotations: { purpose: 'subject' } });
      expect((await pushManifest('subject', subject)).status).toBe(201);
      await pushBlob(sbomConfig);
    });

    it('answers OCI-Subject to a push with a subject, and not to one without', async () => {
      const subjectDescriptor = { mediaType: OCI_MANIFEST, digest: sha256(subject), size: subject.length };
      signature = manifest({ artifactType: 'application/vnd.example.signature', subject: subjectDescriptor, annotations: { 'org.example.signer': 'ci' } });
      const signed = await pushManifest(sha256(signature), signature);
      expect(signed.status).toBe(201);
      expect(signed.headers.get('oci-subject')).toBe(sha256(subject));
      // No artifactType: an image manifest is typed by its config.
      sbom = manifest({ subject: subjectDescriptor }, { mediaType: 'application/vnd.example.sbom.config', digest: sha256(sbomConfig), size: sbomConfig.length });
      expect((await pushManifest(sha256(sbom), sbom)).status).toBe(201);
      const plain = await pushManifest('plain', manifest({ annotations: { purpose: 'plain' } }));
      expect(plain.status).toBe(201);
      expect(plain.headers.get('oci-subject')).toBeNull();
    });

    const referrers = async (digest: string, query = '') => {
      const res = await v2('GET', `/v2/${name}/referrers/${digest}${query}`);
      return { status: res.status, type: res.headers.get('content-type'), filters: res.headers.get('oci-filters-applied'), body: (await res.json()) as { manifests: unknown[] } };
    };

    it('lists the manifests whose subject is the digest as an image index', async () => {
      const res = await referrers(sha256(subject));
      expect(res).toMatchObject({ status: 200, filters: null });
      expect(res.type).toBe(OCI_INDEX);
      expect(res.body).toEqual({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: OCI_MANIFEST, digest: sha256(signature), size: signature.length, artifactType: 'application/vnd.example.signature', annotations: { 'org.example.signer': 'ci' } },
          { mediaType: OCI_MANIFEST, digest: sha256(sbom), size: sbom.length, artifactType: 'application/vnd.example.sbom.config' },
        ].sort((a, b) => (a.digest < b.digest ? -1 : 1)),
      });
    });

    it('filters by artifactType and says so', async () => {
      const res = await referrers(sha256(subject), '?artifactType=application/vnd.example.sbom.config');
      expect(res.filters).toBe('artifactType');
      expect(res.body.manifests).toEqual([{ mediaType: OCI_MANIFEST, digest: sha256(sbom), size: sbom.length, artifactType: 'application/vnd.example.sbom.config' }]);
      expect((await referrers(sha256(subject), '?artifactType=text/plain')).body.manifests).toEqual([]);
    });

    it('answers an empty list for a digest nothing refers to, and 400 for one that is not a digest', async () => {
      expect((await referrers(sha256(Buffer.from('nothing')))).body).toEqual({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
      const bad = await v2('GET', `/v2/${name}/referrers/sha256:nope`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('DIGEST_INVALID');
    });

    it('reads from the registry, once, a referrer recorded before Berth kept descriptors', async () => {
      const db = (berth.store as unknown as KyselyStore).db;
      await db.updateTable('artifacts').set({ manifest_size: null, config_media_type: null, annotations: null }).where('digest', '=', sha256(signature)).execute();
      const listed = (await referrers(sha256(subject), '?artifactType=application/vnd.example.signature')).body.manifests;
      expect(listed).toEqual([{ mediaType: OCI_MANIFEST, digest: sha256(signature), size: signature.length, artifactType: 'application/vnd.example.signature', annotations: { 'org.example.signer': 'ci' } }]);
      const row = await db.selectFrom('artifacts').select(['manifest_size', 'annotations']).where('digest', '=', sha256(signature)).executeTakeFirstOrThrow();
      expect([Number(row.manifest_size), row.annotations]).toEqual([signature.length, JSON.stringify({ 'org.example.signer': 'ci' })]);
    });

    it('drops a referrer once it is deleted', async () => {
      expect((await v2('DELETE', `/v2/${name}/manifests/${sha256(sbom)}`)).status).toBe(202);
      expect((await referrers(sha256(subject))).body.manifests).toEqual([expect.objectContaining({ digest: sha256(signature) })]);
    });
  });

  describe('chunked uploads', () => {
    const data = crypto.randomBytes(3000);

    const patch = (location: string, from: number, to: number) =>
      v2('PATCH', location, { body: data.subarray(from, to), headers: { 'content-type': 'application/octet-stream', 'content-range': `${from}-${to - 1}` } });

    const refused = async (res: Response, held: number) => {
      expect(res.status).toBe(416);
      expect(res.headers.get('range')).toBe(`0-${Math.max(held - 1, 0)}`);
      expect(res.headers.get('location')).toMatch(new RegExp(`^/v2/${name}/blobs/uploads/`));
      expect(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('BLOB_UPLOAD_INVALID');
      return res.headers.get('location')!;
    };

    const finish = async (location: string) => {
      const put = new URL(location, berth.url);
      put.searchParams.set('digest', sha256(data));
      const done = await v2('PUT', put.pathname + put.search);
      expect(done.status).toBe(201);
      const blob = await v2('GET', `/v2/${name}/blobs/${sha256(data)}`);
      expect(blob.status).toBe(200);
      expect(Buffer.from(await blob.arrayBuffer()).equals(data)).toBe(true);
    };

    it('refuses a chunk that skips ahead or goes back with 416, writes none of it, and takes the right chunk after', async () => {
      const started = await v2('POST', `/v2/${name}/blobs/uploads/`);
      let location = started.headers.get('location')!;
      const first = await patch(location, 0, 1000);
      expect(first.status).toBe(202);
      expect(first.headers.get('range')).toBe('0-999');
      location = first.headers.get('location')!;

      location = await refused(await patch(location, 2000, 3000), 1000);
      location = await refused(await patch(location, 0, 1000), 1000);
      // Nothing of the refused chunks reached the registry.
      const status = await v2('GET', location);
      expect(status.status).toBe(204);
      expect(status.headers.get('range')).toBe('0-999');

      const second = await patch(location, 1000, 3000);
      expect(second.status).toBe(202);
      expect(second.headers.get('range')).toBe('0-2999');
      await finish(second.headers.get('location')!);
    });

    it('tells an empty session from a one-byte one', async () => {
      const started = await v2('POST', `/v2/${name}/blobs/uploads/`);
      let location = await refused(await patch(started.headers.get('location')!, 1, 3000), 0);
      const one = await patch(location, 0, 1);
      expect(one.status).toBe(202);
      location = await refused(await patch(one.headers.get('location')!, 0, 3000), 1);
      const rest = await patch(location, 1, 3000);
      expect(rest.status).toBe(202);
      await finish(rest.headers.get('location')!);
    });

    it('refuses a Content-Range that is not <start>-<end>', async () => {
      const started = await v2('POST', `/v2/${name}/blobs/uploads/`);
      const res = await v2('PATCH', started.headers.get('location')!, { body: data, headers: { 'content-type': 'application/octet-stream', 'content-range': 'bytes */3000' } });
      await refused(res, 0);
    });
  });
});
