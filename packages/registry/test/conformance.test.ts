import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaType, sha256Digest } from '@berth/oci';
import {
  digestOf,
  errorCode,
  getManifest,
  imageFixture,
  pushBlob,
  putManifest,
  targets,
  uniqueName,
  withQuery,
  type Target,
} from './targets.ts';

/**
 * The OCI Distribution Spec v1.1 workflow categories (pull, push, content discovery,
 * content management), run against Berth's embedded registry and, to prove the tests
 * themselves, against CNCF distribution 2.8 (where it implements the feature).
 */
describe.each(targets)('OCI distribution conformance: $name', (factory) => {
  let t: Target;
  beforeAll(async () => {
    t = await factory.start();
  });
  afterAll(async () => {
    await t?.stop();
  });
  // Tests of v1.1 features are only registered for a target that has them (not skipped).
  const only11 = (title: string, fn: () => Promise<void>) => {
    if (factory.caps.v11) it(title, fn);
  };

  describe('pull', () => {
    it('serves a manifest by tag and by digest, GET and HEAD alike', async () => {
      const name = uniqueName();
      const img = await imageFixture(t, name);
      expect((await putManifest(t, name, 'v1', img.manifest)).status).toBe(201);
      for (const ref of ['v1', img.digest]) {
        const get = await getManifest(t, name, ref);
        expect(get.status).toBe(200);
        expect(get.headers.get('content-type')).toBe(MediaType.OciManifest);
        expect(get.headers.get('docker-content-digest')).toBe(img.digest);
        expect(get.headers.get('content-length')).toBe(String(img.manifest.length));
        expect(Buffer.from(await get.arrayBuffer()).equals(img.manifest)).toBe(true);
        const head = await getManifest(t, name, ref, 'HEAD');
        expect(head.status).toBe(200);
        expect(head.headers.get('content-type')).toBe(MediaType.OciManifest);
        expect(head.headers.get('docker-content-digest')).toBe(img.digest);
        expect(head.headers.get('content-length')).toBe(String(img.manifest.length));
        expect((await head.arrayBuffer()).byteLength).toBe(0);
      }
    });

    it('serves blobs whole and by byte range', async () => {
      const name = uniqueName();
      const data = randomBytes(10_000);
      const digest = await pushBlob(t, name, data);
      const get = await fetch(`${t.url}/v2/${name}/blobs/${digest}`);
      expect(get.status).toBe(200);
      expect(get.headers.get('docker-content-digest')).toBe(digest);
      expect(Buffer.from(await get.arrayBuffer()).equals(data)).toBe(true);
      const head = await fetch(`${t.url}/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe('10000');

      const range = async (spec: string) => fetch(`${t.url}/v2/${name}/blobs/${digest}`, { headers: { range: spec } });
      const mid = await range('bytes=100-199');
      expect(mid.status).toBe(206);
      expect(mid.headers.get('content-range')).toBe('bytes 100-199/10000');
      expect(Buffer.from(await mid.arrayBuffer()).equals(data.subarray(100, 200))).toBe(true);
      const open = await range('bytes=9990-');
      expect(open.status).toBe(206);
      expect(Buffer.from(await open.arrayBuffer()).equals(data.subarray(9990))).toBe(true);
      const suffix = await range('bytes=-5');
      expect(suffix.status).toBe(206);
      expect(suffix.headers.get('content-range')).toBe('bytes 9995-9999/10000');
      expect(Buffer.from(await suffix.arrayBuffer()).equals(data.subarray(9995))).toBe(true);
      if (t.caps.v11) {
        // Distribution 2.8 drops the connection here instead of answering 416.
        const beyond = await range('bytes=20000-20010');
        expect(beyond.status).toBe(416);
        expect(beyond.headers.get('content-range')).toBe('bytes */10000');
        await beyond.arrayBuffer();
      }
    });

    it('answers unknown manifests and blobs with 404 and their codes, and keeps a blob inside its repository', async () => {
      const name = uniqueName();
      const missing = await getManifest(t, name, 'nope');
      expect(missing.status).toBe(404);
      expect(await errorCode(missing)).toBe('MANIFEST_UNKNOWN');
      const digest = await pushBlob(t, name, randomBytes(100));
      const other = await fetch(`${t.url}/v2/${uniqueName()}/blobs/${digest}`);
      expect(other.status).toBe(404);
      expect(await errorCode(other)).toBe('BLOB_UNKNOWN');
      const unknown = await fetch(`${t.url}/v2/${name}/blobs/${sha256Digest('never pushed')}`);
      expect(unknown.status).toBe(404);
      expect(await errorCode(unknown)).toBe('BLOB_UNKNOWN');
    });
  });

  describe('push', () => {
    // Distribution 2.8 answers a single POST with a digest by opening a session (202).
    only11('takes a blob in one POST with its digest', async () => {
      const name = uniqueName();
      const data = randomBytes(3000);
      const digest = digestOf(data);
      const res = await fetch(`${t.url}/v2/${name}/blobs/uploads/?digest=${digest}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: data,
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toContain(digest);
      expect(res.headers.get('docker-content-digest')).toBe(digest);
      const back = await fetch(`${t.url}/v2/${name}/blobs/${digest}`);
      expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);
    });

    it('takes a blob in chunks, reports progress, refuses a chunk out of order, and finishes', async () => {
      const name = uniqueName();
      const data = randomBytes(30_000);
      const digest = digestOf(data);
      const start = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
      expect(start.status).toBe(202);
      let location = start.headers.get('location')!;
      const patch = (from: number, to: number) =>
        fetch(new URL(location, t.url), {
          method: 'PATCH',
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${from}-${to - 1}`, 'content-length': String(to - from) },
          body: data.subarray(from, to),
        });
      const first = await patch(0, 10_000);
      expect(first.status).toBe(202);
      expect(first.headers.get('range')).toBe('0-9999');
      location = first.headers.get('location')!;

      if (t.caps.v11) {
        // Distribution 2.8 takes a chunk that does not continue the upload (and corrupts it).
        const wrong = await patch(5000, 6000);
        expect(wrong.status).toBe(416);
        expect(wrong.headers.get('range')).toBe('0-9999');
        await wrong.arrayBuffer();
      }

      const status = await fetch(new URL(location, t.url));
      expect(status.status).toBe(204);
      expect(status.headers.get('range')).toBe('0-9999');
      expect(status.headers.get('location')).toBeTruthy();

      const second = await patch(10_000, 30_000);
      expect(second.status).toBe(202);
      expect(second.headers.get('range')).toBe('0-29999');
      location = second.headers.get('location')!;
      const done = await fetch(withQuery(t, location, { digest }), { method: 'PUT' });
      expect(done.status).toBe(201);
      expect(done.headers.get('docker-content-digest')).toBe(digest);
      const back = await fetch(`${t.url}/v2/${name}/blobs/${digest}`);
      expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);
    });

    // Distribution 2.8 loses the session when a client drops mid-chunk.
    only11('resumes an upload after the client dropped mid-chunk', async () => {
      const name = uniqueName();
      const data = randomBytes(4 * 1024 * 1024);
      const digest = digestOf(data);
      const start = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location')!, t.url);
      // Send half of a chunk that announces the whole blob, then drop the connection.
      await new Promise<void>((resolve) => {
        const req = http.request(location, { method: 'PATCH', headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) } });
        req.on('error', () => resolve());
        req.write(data.subarray(0, 2 * 1024 * 1024), () => setTimeout(() => {
          req.destroy();
          resolve();
        }, 200));
      });
      let offset = -1;
      for (let i = 0; i < 50 && offset < 0; i++) {
        const status = await fetch(location);
        if (status.status === 204) offset = Number(status.headers.get('range')!.split('-')[1]) + 1;
        else await status.arrayBuffer();
      }
      expect(offset).toBeGreaterThan(0);
      expect(offset).toBeLessThanOrEqual(2 * 1024 * 1024);
      const rest = await fetch(location, {
        method: 'PATCH',
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${data.length - 1}` },
        body: data.subarray(offset),
      });
      expect(rest.status).toBe(202);
      const done = await fetch(withQuery(t, rest.headers.get('location')!, { digest }), { method: 'PUT' });
      expect(done.status).toBe(201);
      const back = Buffer.from(await (await fetch(`${t.url}/v2/${name}/blobs/${digest}`)).arrayBuffer());
      expect(digestOf(back)).toBe(digest);
    });

    it('refuses a wrong digest at the end of an upload and stores nothing', async () => {
      const name = uniqueName();
      const data = randomBytes(500);
      const claimed = sha256Digest('something else');
      const start = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
      const put = await fetch(withQuery(t, start.headers.get('location')!, { digest: claimed }), { method: 'PUT', body: data });
      expect(put.status).toBe(400);
      expect(await errorCode(put)).toBe('DIGEST_INVALID');
      for (const d of [claimed, digestOf(data)]) {
        const head = await fetch(`${t.url}/v2/${name}/blobs/${d}`, { method: 'HEAD' });
        expect(head.status).toBe(404);
      }
    });

    it('cancels an upload', async () => {
      const name = uniqueName();
      const start = await fetch(`${t.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location')!, t.url);
      const del = await fetch(location, { method: 'DELETE' });
      expect(del.status).toBe(204);
      const status = await fetch(location);
      expect(status.status).toBe(404);
      expect(await errorCode(status)).toBe('BLOB_UPLOAD_UNKNOWN');
    });

    it('mounts a blob from another repository, and falls back to an upload when it cannot', async () => {
      const from = uniqueName();
      const to = uniqueName();
      const data = randomBytes(1000);
      const digest = await pushBlob(t, from, data);
      const mount = await fetch(`${t.url}/v2/${to}/blobs/uploads/?mount=${digest}&from=${from}`, { method: 'POST' });
      expect(mount.status).toBe(201);
      expect(mount.headers.get('docker-content-digest')).toBe(digest);
      expect(mount.headers.get('location')).toContain(digest);
      const back = await fetch(`${t.url}/v2/${to}/blobs/${digest}`);
      expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);

      const unknown = sha256Digest(randomBytes(8));
      const fallback = await fetch(`${t.url}/v2/${to}/blobs/uploads/?mount=${unknown}&from=${from}`, { method: 'POST' });
      expect(fallback.status).toBe(202);
      const other = randomBytes(64);
      const put = await fetch(withQuery(t, fallback.headers.get('location')!, { digest: digestOf(other) }), { method: 'PUT', body: other });
      expect(put.status).toBe(201);
    });

    it('puts manifests by tag and by digest, Docker and OCI media types alike, byte for byte', async () => {
      const name = uniqueName();
      for (const mediaType of [MediaType.OciManifest, MediaType.DockerManifest]) {
        const img = await imageFixture(t, name, { mediaType });
        const byTag = await putManifest(t, name, 'tagged', img.manifest, mediaType);
        expect(byTag.status).toBe(201);
        expect(byTag.headers.get('docker-content-digest')).toBe(img.digest);
        expect(byTag.headers.get('location')).toBeTruthy();
        const byDigest = await putManifest(t, name, img.digest, img.manifest, mediaType);
        expect(byDigest.status).toBe(201);
        const get = await getManifest(t, name, 'tagged');
        expect(get.headers.get('content-type')).toBe(mediaType);
        expect(Buffer.from(await get.arrayBuffer()).equals(img.manifest)).toBe(true);
      }
      for (const mediaType of [MediaType.OciIndex, MediaType.DockerManifestList]) {
        const child = await imageFixture(t, name, { mediaType: mediaType === MediaType.OciIndex ? MediaType.OciManifest : MediaType.DockerManifest });
        const childType = mediaType === MediaType.OciIndex ? MediaType.OciManifest : MediaType.DockerManifest;
        expect((await putManifest(t, name, child.digest, child.manifest, childType)).status).toBe(201);
        const index = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType,
            manifests: [{ mediaType: childType, digest: child.digest, size: child.manifest.length, platform: { os: 'linux', architecture: 'amd64' } }],
          }),
        );
        expect((await putManifest(t, name, 'multi', index, mediaType)).status).toBe(201);
        const get = await getManifest(t, name, 'multi');
        expect(get.headers.get('content-type')).toBe(mediaType);
        expect(Buffer.from(await get.arrayBuffer()).equals(index)).toBe(true);
      }
    });

    it('refuses manifests that cannot be stored, and the tag keeps its digest', async () => {
      const name = uniqueName();
      const good = await imageFixture(t, name);
      expect((await putManifest(t, name, 'keep', good.manifest)).status).toBe(201);
      const expectUnchanged = async () => {
        const get = await getManifest(t, name, 'keep');
        expect(get.headers.get('docker-content-digest')).toBe(good.digest);
        await get.arrayBuffer();
      };

      const notJson = await putManifest(t, name, 'keep', Buffer.from('{not json'));
      expect(notJson.status).toBe(400);
      expect(await errorCode(notJson)).toBe('MANIFEST_INVALID');
      await expectUnchanged();

      const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
      const tooBig = await putManifest(t, name, 'keep', huge);
      expect(tooBig.status).toBeGreaterThanOrEqual(400);
      expect(tooBig.status).toBeLessThan(500);
      // The embedded registry answers as Berth's front door does: 413 MANIFEST_INVALID.
      if (t.name === 'embedded') expect([tooBig.status, await errorCode(tooBig)]).toEqual([413, 'MANIFEST_INVALID']);
      else await tooBig.arrayBuffer();
      await expectUnchanged();

      const missingBlob = JSON.parse(good.manifest.toString()) as { layers: { digest: string }[] };
      missingBlob.layers[0]!.digest = sha256Digest(randomBytes(16));
      const blobUnknown = await putManifest(t, name, 'keep', Buffer.from(JSON.stringify(missingBlob)));
      expect(blobUnknown.status).toBe(400);
      expect(await errorCode(blobUnknown)).toBe('MANIFEST_BLOB_UNKNOWN');
      await expectUnchanged();

      const orphanIndex = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.OciIndex,
          manifests: [{ mediaType: MediaType.OciManifest, digest: sha256Digest(randomBytes(16)), size: 100, platform: { os: 'linux', architecture: 'amd64' } }],
        }),
      );
      const childUnknown = await putManifest(t, name, 'keep', orphanIndex, MediaType.OciIndex);
      expect(childUnknown.status).toBe(400);
      expect(await errorCode(childUnknown)).toBe('MANIFEST_BLOB_UNKNOWN');
      await expectUnchanged();

      const other = await imageFixture(t, name);
      const mismatch = await putManifest(t, name, good.digest, other.manifest);
      expect(mismatch.status).toBe(400);
      expect(await errorCode(mismatch)).toBe('DIGEST_INVALID');
      expect((await getManifest(t, name, other.digest, 'HEAD')).status).toBe(404);
    });

    only11('accepts a manifest with a subject, even before the subject exists, and says so with OCI-Subject', async () => {
      const name = uniqueName();
      const subject = await imageFixture(t, name);
      const sig = await imageFixture(t, name, {
        artifactType: 'application/vnd.example.signature',
        subject: { mediaType: MediaType.OciManifest, digest: subject.digest, size: subject.manifest.length },
      });
      const put = await putManifest(t, name, sig.digest, sig.manifest);
      expect(put.status).toBe(201);
      expect(put.headers.get('oci-subject')).toBe(subject.digest);
    });

    only11('verifies sha512 digests', async () => {
      const name = uniqueName();
      const data = randomBytes(5000);
      const digest = digestOf(data, 'sha512');
      const ok = await fetch(`${t.url}/v2/${name}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: data });
      expect(ok.status).toBe(201);
      const back = await fetch(`${t.url}/v2/${name}/blobs/${digest}`);
      expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);
      const wrong = digestOf(randomBytes(10), 'sha512');
      const bad = await fetch(`${t.url}/v2/${name}/blobs/uploads/?digest=${wrong}`, { method: 'POST', body: data });
      expect(bad.status).toBe(400);
      expect(await errorCode(bad)).toBe('DIGEST_INVALID');
      expect((await fetch(`${t.url}/v2/${name}/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
    });
  });

  describe('content discovery', () => {
    it('lists tags in order, in pages with a Link to the next', async () => {
      const name = uniqueName();
      const img = await imageFixture(t, name);
      const tags = ['b', 'a', 'c2', 'c10', 'Z'];
      for (const tag of tags) expect((await putManifest(t, name, tag, img.manifest)).status).toBe(201);
      const all = await fetch(`${t.url}/v2/${name}/tags/list`);
      const listed = ((await all.json()) as { tags: string[] }).tags;
      expect([...listed].sort()).toEqual([...tags].sort());
      // Distribution 2.8 lists tags in no particular order and pages them the same way.
      if (!t.caps.v11) return;
      expect(listed).toEqual([...tags].sort());
      const first = await fetch(`${t.url}/v2/${name}/tags/list?n=2`);
      expect(((await first.json()) as { tags: string[] }).tags).toEqual(['Z', 'a']);
      const link = first.headers.get('link');
      expect(link).toMatch(/rel="next"/);
      const next = await fetch(new URL(/<([^>]+)>/.exec(link!)![1]!, t.url));
      expect(((await next.json()) as { tags: string[] }).tags).toEqual(['b', 'c10']);
      const last = await fetch(`${t.url}/v2/${name}/tags/list?n=2&last=c10`);
      expect(((await last.json()) as { tags: string[] }).tags).toEqual(['c2']);
      expect(last.headers.get('link')).toBeNull();
    });

    it('pages the catalog', async () => {
      const prefix = `cat${randomBytes(3).toString('hex')}`;
      const names = [`${prefix}/a`, `${prefix}/b`, `${prefix}/c`];
      for (const n of names) {
        const img = await imageFixture(t, n);
        expect((await putManifest(t, n, 'v1', img.manifest)).status).toBe(201);
      }
      const all = (await (await fetch(`${t.url}/v2/_catalog`)).json()) as { repositories: string[] };
      expect(all.repositories).toEqual(expect.arrayContaining(names));
      const page = await fetch(`${t.url}/v2/_catalog?n=1&last=${names[0]}`);
      expect(((await page.json()) as { repositories: string[] }).repositories).toEqual([names[1]]);
      expect(page.headers.get('link')).toMatch(/rel="next"/);
    });

    it('answers tags/list of an unknown repository with NAME_UNKNOWN, and a bad name with NAME_INVALID', async () => {
      const res = await fetch(`${t.url}/v2/${uniqueName()}/tags/list`);
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('NAME_UNKNOWN');
      const bad = await fetch(`${t.url}/v2/Bad_Name/tags/list`);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      if (bad.status !== 404) expect(await errorCode(bad)).toBe('NAME_INVALID');
    });

    only11('lists referrers, filtered by artifactType', async () => {
      const name = uniqueName();
      const subject = await imageFixture(t, name);
      expect((await putManifest(t, name, 'v1', subject.manifest)).status).toBe(201);
      const ref = { mediaType: MediaType.OciManifest, digest: subject.digest, size: subject.manifest.length };
      const sig = await imageFixture(t, name, { artifactType: 'application/vnd.example.sig', subject: ref, annotations: { who: 'ci' } });
      const sbom = await imageFixture(t, name, { artifactType: 'application/vnd.example.sbom', subject: ref });
      for (const m of [sig, sbom]) expect((await putManifest(t, name, m.digest, m.manifest)).status).toBe(201);

      const all = await fetch(`${t.url}/v2/${name}/referrers/${subject.digest}`);
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toBe(MediaType.OciIndex);
      const index = (await all.json()) as { manifests: { digest: string; artifactType: string; size: number; mediaType: string; annotations?: Record<string, string> }[] };
      expect(index.manifests.map((m) => m.digest).sort()).toEqual([sig.digest, sbom.digest].sort());
      const sigEntry = index.manifests.find((m) => m.digest === sig.digest)!;
      expect(sigEntry).toMatchObject({ mediaType: MediaType.OciManifest, artifactType: 'application/vnd.example.sig', size: sig.manifest.length, annotations: { who: 'ci' } });

      const filtered = await fetch(`${t.url}/v2/${name}/referrers/${subject.digest}?artifactType=application/vnd.example.sbom`);
      expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
      expect(((await filtered.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest)).toEqual([sbom.digest]);

      const none = await fetch(`${t.url}/v2/${name}/referrers/${sha256Digest('nothing refers to me')}`);
      expect(none.status).toBe(200);
      expect(((await none.json()) as { manifests: unknown[] }).manifests).toEqual([]);
    });
  });

  describe('content management', () => {
    it('deletes a manifest by digest, with every tag on it', async () => {
      const name = uniqueName();
      const img = await imageFixture(t, name);
      for (const tag of ['one', 'two']) expect((await putManifest(t, name, tag, img.manifest)).status).toBe(201);
      const del = await fetch(`${t.url}/v2/${name}/manifests/${img.digest}`, { method: 'DELETE' });
      expect(del.status).toBe(202);
      for (const ref of [img.digest, 'one', 'two']) {
        const get = await getManifest(t, name, ref);
        expect(get.status).toBe(404);
        await get.arrayBuffer();
      }
      const again = await fetch(`${t.url}/v2/${name}/manifests/${img.digest}`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect(await errorCode(again)).toBe('MANIFEST_UNKNOWN');
    });

    only11('deletes one tag and leaves the digest and its other tags', async () => {
      const name = uniqueName();
      const img = await imageFixture(t, name);
      for (const tag of ['one', 'two']) expect((await putManifest(t, name, tag, img.manifest)).status).toBe(201);
      const del = await fetch(`${t.url}/v2/${name}/manifests/one`, { method: 'DELETE' });
      expect(del.status).toBe(202);
      expect((await getManifest(t, name, 'one', 'HEAD')).status).toBe(404);
      expect((await getManifest(t, name, 'two', 'HEAD')).status).toBe(200);
      expect((await getManifest(t, name, img.digest, 'HEAD')).status).toBe(200);
    });

    it('deletes a blob', async () => {
      const name = uniqueName();
      const digest = await pushBlob(t, name, randomBytes(300));
      const del = await fetch(`${t.url}/v2/${name}/blobs/${digest}`, { method: 'DELETE' });
      expect(del.status).toBe(202);
      expect((await fetch(`${t.url}/v2/${name}/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
      const again = await fetch(`${t.url}/v2/${name}/blobs/${digest}`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect(await errorCode(again)).toBe('BLOB_UNKNOWN');
    });
  });
});
