import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceContent, ANNOTATION, ARTIFACT_TYPE_A, ARTIFACT_TYPE_B, ARTIFACT_TYPE_INDEX, OCI_INDEX, OCI_MANIFEST, type Content } from './oci-conformance-content.ts';
import { SPEC_ERROR_CODES, V2Client, type V2Reply } from './oci-conformance-client.ts';
import { registryToken, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

/**
 * Every case of the OCI distribution-spec conformance suite (v1.1.1), sent as raw HTTP
 * through Berth's /v2, in the suite's order and on one namespace as the suite runs them
 * (each workflow's content stays for the next, so the tag counts below are the suite's).
 * The official suite (Go) cannot be built from the packages this project reaches, so this
 * file stands in for it, on both upstreams: Berth must answer the same whatever is behind it.
 *
 * Where the suite accepts several answers, Berth's one answer is asserted (and the suite's
 * accepted set named). Where Berth deliberately answers what the suite does not accept, the
 * comment says so: Berth refuses blob DELETEs (405, which the suite accepts) and refuses to
 * delete a manifest while a referrer or index that stays points at it (405 UNSUPPORTED, naming
 * the referrer, which the suite accepts as a registry that does not do that delete).
 *
 * The suite's setup runs as a user that may pull, push and delete in the namespace and in a
 * second one for cross-repository mounts.
 */

const NAME = 'conformance/suite';
const CROSSMOUNT = 'conformance/crossmount';
const blob = (d: string) => `/v2/${NAME}/blobs/${d}`;
const manifest = (ref: string) => `/v2/${NAME}/manifests/${ref}`;
const uploads = (name = NAME) => `/v2/${name}/blobs/uploads/`;
const ACCEPT_MANIFEST = { accept: OCI_MANIFEST };
const OCTETS = { 'content-type': 'application/octet-stream' };

/** A 2xx answer. */
function ok(r: V2Reply): void {
  expect(r.status, r.body.toString()).toBeGreaterThanOrEqual(200);
  expect(r.status, r.body.toString()).toBeLessThan(300);
}

/** Berth's answer to a blob DELETE (the suite accepts 2xx, 404 or 405). */
function blobDeleteRefused(r: V2Reply): void {
  expect(r.status).toBe(405);
  expect(r.errorCode()).toBe('UNSUPPORTED');
}

interface TagList {
  name: string;
  tags: string[] | null;
}
interface ReferrersIndex {
  schemaVersion: number;
  mediaType: string;
  manifests: { mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string> }[];
}

describe('OCI distribution-spec conformance (the v1.1.1 suite\u2019s cases) through Berth', () => {
  let upstream: Upstream;
  let berth: RunningBerth;
  let v2: V2Client;
  let secret: string;
  const c = conformanceContent();
  const tagsList = async (query?: Record<string, string>) => v2.send('GET', `/v2/${NAME}/tags/list`, { query });

  beforeAll(async () => {
    upstream = await startUpstream();
    berth = await startBerth(upstream.url);
    secret = await repositoryWithUser(berth, 'conformance', 'suite-runner', 'delete');
    const token = await registryToken(
      berth,
      { username: 'conformance', password: secret },
      `repository:${NAME}:pull,push,delete repository:${CROSSMOUNT}:pull,push,delete`,
    );
    v2 = new V2Client(berth.url, token);
  });

  afterAll(async () => {
    await berth?.stop();
    await upstream?.stop();
  });

  describe('how the suite\u2019s client gets in (token auth from the challenge)', () => {
    it('a request without credentials is 401 with a Bearer challenge whose realm gives a token that then works', async () => {
      const bare = await fetch(`${berth.url}${uploads()}`, { method: 'POST' });
      expect(bare.status).toBe(401);
      const challenge = bare.headers.get('www-authenticate') ?? '';
      const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      expect(challenge.startsWith('Bearer ')).toBe(true);
      expect(params.scope).toBe(`repository:${NAME}:pull,push`);
      const tokenUrl = new URL(params.realm!);
      tokenUrl.searchParams.set('service', params.service!);
      tokenUrl.searchParams.set('scope', params.scope!);
      const issued = await fetch(tokenUrl, { headers: { authorization: `Basic ${Buffer.from(`conformance:${secret}`).toString('base64')}` } });
      expect(issued.status).toBe(200);
      const { token } = (await issued.json()) as { token: string };
      const retried = await fetch(`${berth.url}${uploads()}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(retried.status).toBe(202);
    });
  });

  describe('pull', () => {
    describe('setup', () => {
      it('takes config[0], config[1] and the layer by POST then PUT ?digest', async () => {
        for (const b of [c.configs[0]!, c.configs[1]!, c.layer]) ok(await v2.pushBlob(NAME, b));
      });
      it('takes manifest[0] under the tag tagtest0 and manifest[1] under its digest', async () => {
        ok(await v2.putManifest(NAME, 'tagtest0', c.manifests[0]!, OCI_MANIFEST));
        ok(await v2.putManifest(NAME, c.manifests[1]!.digest, c.manifests[1]!, OCI_MANIFEST));
      });
    });

    describe('pull blobs', () => {
      it('HEAD of an unknown blob is 404', async () => {
        expect((await v2.send('HEAD', blob(c.unknownDigest))).status).toBe(404);
      });
      it('HEAD of a blob that exists is 200 with its digest', async () => {
        const r = await v2.send('HEAD', blob(c.configs[0]!.digest));
        expect(r.status).toBe(200);
        expect(r.headers.get('docker-content-digest')).toBe(c.configs[0]!.digest);
      });
      it('GET of an unknown blob is 404 BLOB_UNKNOWN', async () => {
        const r = await v2.send('GET', blob(c.unknownDigest));
        expect(r.status).toBe(404);
        expect(r.errorCode()).toBe('BLOB_UNKNOWN');
      });
      it('GET of a blob that exists is 200 with its bytes', async () => {
        const r = await v2.send('GET', blob(c.configs[0]!.digest));
        expect(r.status).toBe(200);
        expect(r.body.equals(c.configs[0]!.bytes)).toBe(true);
      });
    });

    describe('pull manifests', () => {
      it('HEAD of a manifest that cannot exist (an invalid reference) is 404', async () => {
        expect((await v2.send('HEAD', manifest('.INVALID_MANIFEST_NAME'))).status).toBe(404);
      });
      it('HEAD of manifest[0] and manifest[1] by digest is 200 with the digest', async () => {
        for (const m of [c.manifests[0]!, c.manifests[1]!]) {
          const r = await v2.send('HEAD', manifest(m.digest), { headers: ACCEPT_MANIFEST });
          expect(r.status).toBe(200);
          expect(r.headers.get('docker-content-digest')).toBe(m.digest);
        }
      });
      it('HEAD of manifest[0] by its tag is 200 with its digest', async () => {
        const r = await v2.send('HEAD', manifest('tagtest0'), { headers: ACCEPT_MANIFEST });
        expect(r.status).toBe(200);
        expect(r.headers.get('docker-content-digest')).toBe(c.manifests[0]!.digest);
      });
      it('GET of a manifest that cannot exist is 404 MANIFEST_UNKNOWN', async () => {
        const r = await v2.send('GET', manifest('.INVALID_MANIFEST_NAME'));
        expect(r.status).toBe(404);
        expect(r.errorCode()).toBe('MANIFEST_UNKNOWN');
      });
      it('GET of manifest[0] and manifest[1] by digest is 200 with the bytes pushed', async () => {
        for (const m of [c.manifests[0]!, c.manifests[1]!]) {
          const r = await v2.send('GET', manifest(m.digest), { headers: ACCEPT_MANIFEST });
          expect(r.status).toBe(200);
          expect(r.body.equals(m.bytes)).toBe(true);
        }
      });
      it('GET of manifest[0] by its tag is 200 with the bytes pushed', async () => {
        const r = await v2.send('GET', manifest('tagtest0'), { headers: ACCEPT_MANIFEST });
        expect(r.status).toBe(200);
        expect(r.body.equals(c.manifests[0]!.bytes)).toBe(true);
      });
    });

    describe('error codes', () => {
      it('a malformed digest reference answers 404 with an OCI error code in the body', async () => {
        // The suite accepts 400 or 404 (a 400 must carry a spec error code): Berth says no
        // manifest has that reference.
        const r = await v2.send('GET', manifest('sha256:totallywrong'));
        expect(r.status).toBe(404);
        expect(SPEC_ERROR_CODES).toContain(r.errorCode());
        expect(r.errorCode()).toBe('MANIFEST_UNKNOWN');
      });
    });

    describe('teardown (manifests before blobs, the suite\u2019s default)', () => {
      it('DELETE of manifest[0] and manifest[1] by digest is 202', async () => {
        // The suite accepts 2xx or 405.
        for (const m of [c.manifests[0]!, c.manifests[1]!]) expect((await v2.send('DELETE', manifest(m.digest))).status).toBe(202);
      });
      it('DELETE of the config and layer blobs is refused: 405 UNSUPPORTED', async () => {
        // Berth never deletes a blob on request (garbage collection frees what nothing uses);
        // the suite accepts 405.
        for (const b of [c.configs[0]!, c.configs[1]!, c.layer]) blobDeleteRefused(await v2.send('DELETE', blob(b.digest)));
      });
    });
  });

  describe('push', () => {
    let last: V2Reply;
    let previous: V2Reply;

    describe('blob upload, streamed', () => {
      it('PATCH with the blob in the body (no Content-Range) is 202', async () => {
        const started = await v2.send('POST', uploads());
        expect(started.headers.get('location')).toBeTruthy();
        last = await v2.send('PATCH', started.location(), { headers: OCTETS, body: c.blobA.bytes });
        expect(last.status).toBe(202);
      });
      it('PUT ?digest to the session with no body is 201 with a Location', async () => {
        const r = await v2.send('PUT', last.location(), { query: { digest: c.blobA.digest }, headers: OCTETS });
        expect(r.status).toBe(201);
        expect(r.headers.get('location')).toBeTruthy();
      });
    });

    describe('blob upload, monolithic', () => {
      it('GET of an unknown blob is 404', async () => {
        expect((await v2.send('GET', blob(c.unknownDigest))).status).toBe(404);
      });
      it('POST ?digest with the blob in the body is 201 with a Location (a single-request push)', async () => {
        // The suite accepts 201 or 202 (a registry may ignore the body and start a session).
        last = await v2.send('POST', uploads(), { query: { digest: c.configs[1]!.digest }, headers: OCTETS, body: c.configs[1]!.bytes });
        expect(last.headers.get('location')).toBeTruthy();
        expect(last.status).toBe(201);
      });
      it('GET of that blob is 200', async () => {
        expect((await v2.send('GET', blob(c.configs[1]!.digest))).status).toBe(200);
      });
      it('POST with no body is 202: a session', async () => {
        last = await v2.send('POST', uploads());
        expect(last.status).toBe(202);
        expect(last.headers.get('location')).toBeTruthy();
      });
      it('PUT ?digest with the blob to the session is 201 with a Location', async () => {
        const r = await v2.send('PUT', last.location(), { query: { digest: c.configs[1]!.digest }, headers: OCTETS, body: c.configs[1]!.bytes });
        expect(r.status).toBe(201);
        expect(r.headers.get('location')).toBeTruthy();
      });
      it('GET of the blob is 200', async () => {
        expect((await v2.send('GET', blob(c.configs[1]!.digest))).status).toBe(200);
      });
      it('POST then PUT of the layer blob is 201 with a Location', async () => {
        const r = await v2.pushBlob(NAME, c.layer);
        expect(r.status).toBe(201);
        expect(r.headers.get('location')).toBeTruthy();
      });
      it('GET of the layer is 200', async () => {
        expect((await v2.send('GET', blob(c.layer.digest))).status).toBe(200);
      });
    });

    describe('blob upload, chunked', () => {
      it('a first PATCH whose Content-Range does not start at 0 is 416', async () => {
        const started = await v2.send('POST', uploads(), { headers: { 'content-length': '0' } });
        expect(started.headers.get('location')).toBeTruthy();
        const r = await v2.send('PATCH', started.location(), { headers: { ...OCTETS, 'content-range': c.chunk2Range }, body: c.chunk2 });
        expect(r.status).toBe(416);
        expect(r.errorCode()).toBe('BLOB_UPLOAD_INVALID');
      });
      it('PATCH of the first chunk with its Content-Range is 202 with Range 0-<end>', async () => {
        previous = await v2.send('POST', uploads(), { headers: { 'content-length': '0' } });
        expect(previous.headers.get('location')).toBeTruthy();
        last = await v2.send('PATCH', previous.location(), { headers: { ...OCTETS, 'content-range': c.chunk1Range }, body: c.chunk1 });
        expect(last.status).toBe(202);
        expect(last.headers.get('range')).toBe(c.chunk1Range);
      });
      it('sending the first chunk again (to the session\u2019s first Location) is 416', async () => {
        const r = await v2.send('PATCH', previous.location(), { headers: { ...OCTETS, 'content-range': c.chunk1Range }, body: c.chunk1 });
        expect(r.status).toBe(416);
      });
      it('GET of the session at its first (stale) Location is 204 with the Range held and a Location', async () => {
        last = await v2.send('GET', previous.location());
        expect(last.status).toBe(204);
        expect(last.headers.get('location')).toBeTruthy();
        expect(last.headers.get('range')).toBe(c.chunk1Range);
      });
      it('PATCH of the second chunk at the Location that GET gave is 202 with a Location', async () => {
        last = await v2.send('PATCH', last.location(), { headers: { ...OCTETS, 'content-range': c.chunk2Range }, body: c.chunk2 });
        expect(last.status).toBe(202);
        expect(last.headers.get('location')).toBeTruthy();
      });
      it('PUT ?digest with no body closes the upload: 201 with a Location, and the blob reads back whole', async () => {
        const r = await v2.send('PUT', last.location(), { query: { digest: c.blobB.digest }, headers: { ...OCTETS, 'content-length': '0' } });
        expect(r.status).toBe(201);
        expect(r.headers.get('location')).toBeTruthy();
        const back = await v2.send('GET', blob(c.blobB.digest));
        expect(back.body.equals(c.blobB.bytes)).toBe(true);
      });
    });

    describe('cross-repository blob mount', () => {
      it('POST ?mount without from starts a session: 202 with a Location', async () => {
        const r = await v2.send('POST', uploads(CROSSMOUNT), { query: { mount: c.unknownDigest } });
        expect(r.status).toBe(202);
        expect(r.headers.get('location')).toBeTruthy();
      });
      it('POST ?mount=<blob A>&from=<the namespace> mounts it: 201 at the blob\u2019s path in the other namespace', async () => {
        // The suite accepts 201, or 202 with a session (no mount).
        last = await v2.send('POST', uploads(CROSSMOUNT), { query: { mount: c.blobA.digest, from: NAME } });
        expect(last.status).toBe(201);
        expect(last.location()).toBe(`/v2/${CROSSMOUNT}/blobs/${c.blobA.digest}`);
      });
      it('GET of the mounted blob in the other namespace is 200', async () => {
        const r = await v2.send('GET', last.location());
        expect(r.status).toBe(200);
        expect(r.body.equals(c.blobA.bytes)).toBe(true);
      });
      it('POST ?mount of a blob the namespace has, without from, is 202: Berth does not look for it on its own', async () => {
        // The suite's optional "automatic cross-mount disabled" case. Berth mounts only from an
        // image the caller names and may pull.
        const r = await v2.send('POST', uploads(CROSSMOUNT), { query: { mount: c.blobA.digest } });
        expect(r.status).toBe(202);
        expect(r.location().startsWith(`/v2/${CROSSMOUNT}/blobs/uploads/`)).toBe(true);
      });
    });

    describe('manifest upload', () => {
      it('GET of a manifest that cannot exist is 404', async () => {
        expect((await v2.send('GET', manifest('.INVALID_MANIFEST_NAME'))).status).toBe(404);
      });
      it('PUT of manifest[1] under the tags test0 to test3 is 201 with a Location each time', async () => {
        for (let i = 0; i < 4; i++) {
          const r = await v2.putManifest(NAME, `test${i}`, c.manifests[1]!, OCI_MANIFEST);
          expect(r.status, r.body.toString()).toBe(201);
          expect(r.headers.get('location')).toBeTruthy();
        }
      });
      it('PUT of a manifest with no layers (and no mediaType field) under emptylayer is 201 with a Location', async () => {
        // The suite only warns when this is refused; Berth takes it.
        const r = await v2.putManifest(NAME, 'emptylayer', c.emptyLayerManifest, OCI_MANIFEST);
        expect(r.status, r.body.toString()).toBe(201);
        expect(r.headers.get('location')).toBeTruthy();
      });
      it('GET of manifest[1] by digest is 200', async () => {
        expect((await v2.send('GET', manifest(c.manifests[1]!.digest), { headers: ACCEPT_MANIFEST })).status).toBe(200);
      });
    });

    describe('teardown', () => {
      it('DELETE of manifest[1] and of the empty-layer manifest by digest is 202', async () => {
        // The suite accepts 2xx or 405. manifest[1] takes its four tags with it.
        expect((await v2.send('DELETE', manifest(c.manifests[1]!.digest))).status).toBe(202);
        expect((await v2.send('DELETE', manifest(c.emptyLayerManifest.digest))).status).toBe(202);
      });
      it('DELETE of the config and layer blobs is refused: 405 UNSUPPORTED', async () => {
        for (const b of [c.configs[1]!, c.layer]) blobDeleteRefused(await v2.send('DELETE', blob(b.digest)));
      });
    });
  });

  describe('content discovery', () => {
    describe('setup', () => {
      it('takes config[2], the layer, and manifest[2] under the tags test0 to test3', async () => {
        ok(await v2.pushBlob(NAME, c.configs[2]!));
        ok(await v2.pushBlob(NAME, c.layer));
        for (let i = 0; i < 4; i++) ok(await v2.putManifest(NAME, `test${i}`, c.manifests[2]!, OCI_MANIFEST));
      });

      it('takes referrers of manifest[4] before manifest[4] exists, each answered with OCI-Subject', async () => {
        // The empty JSON descriptor's digest is fixed by the image spec.
        expect(c.emptyJson.digest).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
        ok(await v2.pushBlob(NAME, c.emptyJson));
        ok(await v2.pushBlob(NAME, c.refBlobA));
        const subjects: (string | null)[] = [];
        for (const [m, type] of [
          [c.refAConfig, OCI_MANIFEST],
          [c.refALayer, OCI_MANIFEST],
          [c.refIndex, OCI_INDEX],
        ] as [Content, string][]) {
          const r = await v2.putManifest(NAME, m.digest, m, type);
          ok(r);
          subjects.push(r.headers.get('oci-subject'));
        }
        expect(subjects).toEqual([c.manifests[4]!.digest, c.manifests[4]!.digest, c.manifests[4]!.digest]);
      });

      it('takes config[4], the layer and manifest[4] under tagtest0', async () => {
        ok(await v2.pushBlob(NAME, c.configs[4]!));
        ok(await v2.pushBlob(NAME, c.layer));
        ok(await v2.putManifest(NAME, 'tagtest0', c.manifests[4]!, OCI_MANIFEST));
      });

      it('takes referrers of manifest[4] after it exists, and one of manifest[3], which never does here, each with OCI-Subject', async () => {
        ok(await v2.pushBlob(NAME, c.refBlobB));
        const subjects: (string | null)[] = [];
        for (const m of [c.refBConfig, c.refBLayer, c.refCLayer]) {
          const r = await v2.putManifest(NAME, m.digest, m, OCI_MANIFEST);
          ok(r);
          subjects.push(r.headers.get('oci-subject'));
        }
        expect(subjects).toEqual([c.manifests[4]!.digest, c.manifests[4]!.digest, c.manifests[3]!.digest]);
      });
    });

    describe('listing tags', () => {
      // What stays from the workflows before: tagtest0 (manifest[4]) and test0..test3 (manifest[2]).
      const all = ['tagtest0', 'test0', 'test1', 'test2', 'test3'];

      it('GET tags/list is 200 with every tag, in lexical order', async () => {
        const r = await tagsList();
        expect(r.status).toBe(200);
        expect(r.json<TagList>()).toEqual({ name: NAME, tags: all });
      });
      it('?n= limits the count, and a Link header points at the next page', async () => {
        const r = await tagsList({ n: '2' });
        expect(r.status).toBe(200);
        expect(r.json<TagList>().tags).toEqual(all.slice(0, 2));
        const link = r.headers.get('link');
        expect(link).toMatch(/^<[^>]+>; rel="next"$/);
        const next = new URL(link!.slice(1, link!.indexOf('>')), berth.url);
        expect(next.pathname).toBe(`/v2/${NAME}/tags/list`);
        expect(next.searchParams.get('n')).toBe('2');
        expect(next.searchParams.get('last')).toBe('test0');
      });
      it('?last= starts after that tag; the last page has no Link', async () => {
        const second = await tagsList({ n: '2', last: 'test0' });
        expect(second.status).toBe(200);
        expect(second.json<TagList>().tags).toEqual(['test1', 'test2']);
        const third = await tagsList({ n: '2', last: 'test2' });
        expect(third.json<TagList>().tags).toEqual(['test3']);
        expect(third.headers.get('link')).toBeNull();
      });
    });

    describe('listing referrers', () => {
      const referrers = async (digest: string, query?: Record<string, string>) => {
        const r = await v2.send('GET', `/v2/${NAME}/referrers/${digest}`, { query });
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toBe(OCI_INDEX);
        const index = r.json<ReferrersIndex>();
        expect(index).toMatchObject({ schemaVersion: 2, mediaType: OCI_INDEX });
        return { index, headers: r.headers };
      };

      it('referrers of a digest nothing has: 200, an empty image index', async () => {
        expect((await referrers(c.unknownDigest)).index.manifests).toEqual([]);
      });
      it('referrers of manifest[4]: all five, each with its artifactType and its annotation', async () => {
        const { index } = await referrers(c.manifests[4]!.digest);
        const expected = [
          [c.refAConfig, ARTIFACT_TYPE_A, OCI_MANIFEST],
          [c.refALayer, ARTIFACT_TYPE_A, OCI_MANIFEST],
          [c.refIndex, ARTIFACT_TYPE_INDEX, OCI_INDEX],
          [c.refBConfig, ARTIFACT_TYPE_B, OCI_MANIFEST],
          [c.refBLayer, ARTIFACT_TYPE_B, OCI_MANIFEST],
        ] as const;
        expect(index.manifests).toHaveLength(5);
        expect(new Set(index.manifests.map((m) => m.digest)).size).toBe(5);
        for (const [m, artifactType, mediaType] of expected) {
          const entry = index.manifests.find((d) => d.digest === m.digest);
          expect(entry, m.digest).toEqual({ mediaType, digest: m.digest, size: m.size, artifactType, annotations: { [ANNOTATION]: c.annotations.get(m.digest) } });
        }
      });
      it('?artifactType= keeps only that type, and OCI-Filters-Applied says the filter ran', async () => {
        // The suite also passes a registry that ignores the filter (it only warns); Berth filters.
        const { index, headers } = await referrers(c.manifests[4]!.digest, { artifactType: ARTIFACT_TYPE_A });
        expect(headers.get('oci-filters-applied')).toBe('artifactType');
        expect(index.manifests.map((m) => m.digest).sort()).toEqual([c.refAConfig.digest, c.refALayer.digest].sort());
        for (const m of index.manifests) expect(m.annotations).toEqual({ [ANNOTATION]: c.annotations.get(m.digest) });
      });
      it('referrers of manifest[3], which is not in the registry: its one referrer', async () => {
        const { index } = await referrers(c.manifests[3]!.digest);
        expect(index.manifests.map((m) => m.digest)).toEqual([c.refCLayer.digest]);
      });
    });

    describe('teardown', () => {
      it('DELETE of each manifest by digest: 202, except manifest[4], which referrers that stay still point at', async () => {
        // The suite accepts 2xx, 404 or 405 for each. Berth refuses to delete a subject while
        // a referrer of it stays: 405 UNSUPPORTED, naming the referrer.
        const answers = new Map<string, number>();
        for (const m of [c.refIndex, c.manifests[2]!, c.manifests[4]!, c.refAConfig, c.refALayer, c.refBConfig, c.refBLayer, c.refCLayer]) {
          const r = await v2.send('DELETE', manifest(m.digest));
          answers.set(m.digest, r.status);
          if (m === c.manifests[4]) expect(r.errorCode()).toBe('UNSUPPORTED');
        }
        expect([...answers.values()]).toEqual([202, 202, 405, 202, 202, 202, 202, 202]);
      });
      it('DELETE of the config and layer blobs is refused: 405 UNSUPPORTED', async () => {
        for (const b of [c.configs[2]!, c.layer]) blobDeleteRefused(await v2.send('DELETE', blob(b.digest)));
      });
      it('references teardown: what went is 404, manifest[4] goes now that its referrers did, blobs stay', async () => {
        // The suite accepts 2xx, 404 or 405 for each.
        for (const m of [c.refIndex, c.refAConfig, c.refALayer]) expect((await v2.send('DELETE', manifest(m.digest))).status).toBe(404);
        expect((await v2.send('DELETE', manifest(c.manifests[4]!.digest))).status).toBe(202);
        for (const m of [c.refBConfig, c.refBLayer]) expect((await v2.send('DELETE', manifest(m.digest))).status).toBe(404);
        for (const b of [c.configs[4]!, c.refBlobA, c.refBlobB, c.emptyJson]) blobDeleteRefused(await v2.send('DELETE', blob(b.digest)));
      });
    });
  });

  describe('content management', () => {
    let tagCount = 0;

    describe('setup', () => {
      it('takes config[3], the layer and manifest[3] under tagtest0', async () => {
        ok(await v2.pushBlob(NAME, c.configs[3]!));
        ok(await v2.pushBlob(NAME, c.layer));
        ok(await v2.putManifest(NAME, 'tagtest0', c.manifests[3]!, OCI_MANIFEST));
      });
      it('counts the tags before anything is deleted', async () => {
        const r = await tagsList();
        expect(r.status).toBe(200);
        tagCount = r.json<TagList>().tags?.length ?? 0;
        expect(tagCount).toBe(1);
      });
    });

    describe('manifest delete', () => {
      it('DELETE of the tag tagtest0 is 202, and the tag is gone', async () => {
        // The suite accepts 202, or 400 UNSUPPORTED / 405 when tag deletion is disabled.
        expect((await v2.send('DELETE', manifest('tagtest0'))).status).toBe(202);
        expect((await v2.send('GET', manifest('tagtest0'), { headers: ACCEPT_MANIFEST })).status).toBe(404);
      });
      it('DELETE of manifest[3] by digest is 202 (its tag went; the artifact stayed)', async () => {
        // The suite accepts 202 or 404.
        expect((await v2.send('DELETE', manifest(c.manifests[3]!.digest))).status).toBe(202);
      });
      it('GET of the deleted manifest is 404', async () => {
        // The suite accepts 404 or 200.
        const r = await v2.send('GET', manifest(c.manifests[3]!.digest), { headers: ACCEPT_MANIFEST });
        expect(r.status).toBe(404);
        expect(r.errorCode()).toBe('MANIFEST_UNKNOWN');
      });
      it('tags/list shows one tag fewer', async () => {
        // The suite accepts 200 with one tag fewer, or 404 when none is left.
        const r = await tagsList();
        expect(r.status).toBe(200);
        expect(r.json<TagList>().tags ?? []).toHaveLength(tagCount - 1);
      });
    });

    describe('blob delete', () => {
      it('DELETE of the config and layer blobs is refused: 405 UNSUPPORTED, and they still read', async () => {
        // The suite accepts 202, 404 or 405; after a 405 it skips its read-back. Berth keeps
        // blobs until garbage collection finds nothing uses them.
        for (const b of [c.configs[3]!, c.layer]) {
          blobDeleteRefused(await v2.send('DELETE', blob(b.digest)));
          expect((await v2.send('GET', blob(b.digest))).status).toBe(200);
        }
      });
    });
  });
});
