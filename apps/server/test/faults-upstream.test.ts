import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Image, Page, Tag } from '@berth/api';
import { MANIFEST_ACCEPT } from '@berth/oci';
import {
  CommandError,
  skopeoCopy,
  skopeoDelete,
  startCuttableProxy,
  writeImageLayout,
  type CuttableProxy,
  type Credentials,
  type ImageLayout,
} from '@berth/testkit';
import { ADMIN_PASSWORD, eventually, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const MiB = 1024 * 1024;
const ADMIN_BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

/**
 * The upstream registry dies under Berth — every connection reset mid-transfer, new ones
 * refused, as when its process is killed — and comes back. A TCP relay between Berth and the
 * registry (embedded, or distribution with BERTH_TEST_UPSTREAM) plays the dying process.
 */
describe('faults: the upstream registry dies mid-pull, mid-push and during deletes, then returns', () => {
  let work: string;
  let registry: Upstream;
  let relay: CuttableProxy;
  let berth: RunningBerth;
  let push: Credentials;
  let big: ImageLayout;

  const v2 = (p: string, init: RequestInit = {}) =>
    fetch(`${berth.url}/v2/${p}`, { ...init, headers: { authorization: ADMIN_BASIC, accept: MANIFEST_ACCEPT, ...(init.headers as Record<string, string>) } });
  const image = async (name: string) => berth.api<Image & { error?: { code: string } }>('GET', `/repositories/fault/images/${encodeURIComponent(name)}`);
  const artifacts = async (name: string) =>
    Object.fromEntries(
      (await berth.api<Page<Artifact>>('GET', `/repositories/fault/images/${name}/artifacts`)).body.items.map((a) => [a.digest, { status: a.status, tags: [...a.tags].sort(), tagStatus: a.tagStatus }]),
    );
  const tags = async (name: string) => Object.fromEntries((await berth.api<Page<Tag>>('GET', `/repositories/fault/images/${name}/tags`)).body.items.map((t) => [t.name, t.status]));
  /** An OCI error answer: status and first code. */
  const ociError = async (res: Response) => [res.status, ((await res.json()) as { errors: { code: string }[] }).errors[0]?.code];
  /** Runs skopeo and returns the error it fails with. */
  const failure = async (run: Promise<unknown>): Promise<CommandError> => {
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, 'skopeo should have failed').toBeInstanceOf(CommandError);
    return err as CommandError;
  };
  /** The layout's manifest digest as a pulled OCI layout lists it. */
  const pulledDigest = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }).manifests[0]!.digest;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-faults-upstream-'));
    registry = await startUpstream();
    relay = await startCuttableProxy(registry.url);
    berth = await startBerth(relay.url);
    push = { username: 'fault', password: await repositoryWithUser(berth, 'fault', 'ci', 'push') };
    big = await writeImageLayout(path.join(work, 'big'), { tag: '1', layers: [{ randomBytes: 24 * MiB, seed: 'faults-big' }] });
    await skopeoCopy(`oci:${path.join(work, 'big')}:1`, `docker://${berth.host}/fault/big:1`, { destCreds: push });
  });
  afterAll(async () => {
    await berth?.stop();
    await relay?.close();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('fails a pull cut mid-blob clearly, answers 502 while the registry is down, pulls whole once it is back; the pull count is exact', async () => {
    expect((await image('big')).body).toMatchObject({ artifactCount: 1, tagCount: 1, pullCount: 0 });
    await skopeoCopy(`docker://${berth.host}/fault/big:1`, `oci:${path.join(work, 'pull-1')}:1`, { srcCreds: push });
    expect(pulledDigest(path.join(work, 'pull-1'))).toBe(big.manifestDigest);

    // The registry dies 4 MiB into the 24 MiB layer: the manifest was served, the blob is cut.
    const cut = relay.cutAfter(4 * MiB, 'down');
    const midBlob = await failure(skopeoCopy(`docker://${berth.host}/fault/big:1`, `oci:${path.join(work, 'pull-2')}:1`, { srcCreds: push }));
    await cut;
    expect(midBlob.exitCode).toBe(1);
    // Berth had answered 200 with the blob's length: the client sees it end short.
    expect(midBlob.stderr).toMatch(/writing blob: .*unexpected EOF/);

    // While it is down: /v2 answers 502 UNAVAILABLE in the OCI form, and so skopeo says.
    expect(await ociError(await v2('fault/big/manifests/1'))).toEqual([502, 'UNAVAILABLE']);
    expect(await ociError(await v2(`fault/big/blobs/${big.layerDigests[0]}`))).toEqual([502, 'UNAVAILABLE']);
    const down = await failure(skopeoCopy(`docker://${berth.host}/fault/big:1`, `oci:${path.join(work, 'pull-3')}:1`, { srcCreds: push }));
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toMatch(/reading manifest 1 in .*fault\/big: received unexpected HTTP status: 502 Bad Gateway/);

    // The API lists from Berth's store as before; what needs the registry says so, in Berth's error form.
    expect((await image('big')).status).toBe(200);
    const manifest = await berth.api<{ error: { code: string; message: string } }>('GET', '/repositories/fault/images/big/manifests/1');
    expect(manifest.status).toBe(502);
    expect(manifest.body.error).toEqual({ code: 'UPSTREAM_UNAVAILABLE', message: 'the registry could not answer for manifest 1' });
    const sync = await berth.api<{ error: { code: string; message: string } }>('POST', '/registries/default/sync');
    expect([sync.status, sync.body.error.code]).toEqual([502, 'UPSTREAM_UNAVAILABLE']);
    expect(JSON.stringify(sync.body)).not.toMatch(/ECONNREFUSED|\n\s+at /);

    // Back: the same pull succeeds, every blob checked by skopeo against its digest.
    await relay.restore();
    await skopeoCopy(`docker://${berth.host}/fault/big:1`, `oci:${path.join(work, 'pull-4')}:1`, { srcCreds: push });
    expect(pulledDigest(path.join(work, 'pull-4'))).toBe(big.manifestDigest);

    // Pulls counted as Docker Hub counts them, a manifest GET served whole: the first, the
    // one cut in its blob (its manifest was served) and the last; never the ones refused while down.
    await eventually(async () => expect((await image('big')).body).toMatchObject({ artifactCount: 1, tagCount: 1, pullCount: 3 }));
    expect((await berth.api<Page<Artifact>>('GET', '/repositories/fault/images/big/artifacts')).body.items.map((a) => [a.digest, a.pullCount])).toEqual([[big.manifestDigest, 3]]);
  });

  it('fails a push cut mid-layer clearly, indexes nothing of it, and the same push succeeds once the registry is back', async () => {
    const layout = await writeImageLayout(path.join(work, 'pushed'), { tag: '2', layers: [{ randomBytes: 24 * MiB, seed: 'faults-pushed' }, { files: { 'a.txt': 'a\n' } }] });
    const cut = relay.cutAfter(4 * MiB, 'up');
    const midLayer = await failure(skopeoCopy(`oci:${path.join(work, 'pushed')}:2`, `docker://${berth.host}/fault/pushed:2`, { destCreds: push }));
    await cut;
    expect(midLayer.exitCode).toBe(1);
    expect(midLayer.stderr).toMatch(/writing blob: .*(502 Bad Gateway|connection reset by peer|broken pipe)/);

    expect(await ociError(await v2('fault/pushed/blobs/uploads/', { method: 'POST' }))).toEqual([502, 'UNAVAILABLE']);
    const down = await failure(skopeoCopy(`oci:${path.join(work, 'pushed')}:2`, `docker://${berth.host}/fault/pushed:2`, { destCreds: push }));
    expect(down.stderr).toMatch(/fault\/pushed: 502 \(Bad Gateway\)/);
    // Nothing of the failed pushes is in Berth's index.
    expect((await image('pushed')).status).toBe(404);

    await relay.restore();
    await skopeoCopy(`oci:${path.join(work, 'pushed')}:2`, `docker://${berth.host}/fault/pushed:2`, { destCreds: push });
    expect((await image('pushed')).body).toMatchObject({ artifactCount: 1, tagCount: 1, status: 'Active' });
    expect(await artifacts('pushed')).toEqual({ [layout.manifestDigest]: { status: 'Active', tags: ['2'], tagStatus: {} } });
    // The layer the registry holds is the whole one.
    const blob = await v2(`fault/pushed/blobs/${layout.layerDigests[0]}`);
    expect(blob.status).toBe(200);
    const hash = createHash('sha256');
    for await (const chunk of blob.body!) hash.update(chunk);
    expect(`sha256:${hash.digest('hex')}`).toBe(layout.layerDigests[0]);
  });

  it('leaves nothing Deleting when the registry is down for a delete: statuses as they were, a clear error; the delete succeeds once it is back', async () => {
    const layout = await writeImageLayout(path.join(work, 'del'), { tag: 'a', layers: [{ files: { 'del.txt': 'deleted after the outage\n' } }] });
    for (const tag of ['a', 'b']) await skopeoCopy(`oci:${path.join(work, 'del')}:a`, `docker://${berth.host}/fault/del:${tag}`, { destCreds: push });
    const before = { [layout.manifestDigest]: { status: 'Active', tags: ['a', 'b'], tagStatus: {} } };
    expect(await artifacts('del')).toEqual(before);

    await relay.cut();
    const viaApi = await berth.api<{ error: { code: string; message: string } }>('DELETE', `/repositories/fault/images/del/artifacts/${layout.manifestDigest}`);
    expect(viaApi.status).toBe(502);
    expect(viaApi.body.error.message).toMatch(/could not be reached.*nothing was deleted/);
    const tag = await berth.api<{ error: { code: string; message: string } }>('DELETE', '/repositories/fault/images/del/tags/b');
    expect([tag.status, tag.body.error.message]).toEqual([502, expect.stringMatching(/could not be reached/)]);
    expect(await ociError(await v2(`fault/del/manifests/${layout.manifestDigest}`, { method: 'DELETE' }))).toEqual([502, 'UNAVAILABLE']);
    await failure(skopeoDelete(`docker://${berth.host}/fault/del:a`, { creds: { username: 'admin', password: ADMIN_PASSWORD } }));
    const whole = await berth.api<{ results: { outcome: string }[] }>('DELETE', '/repositories/fault/images/del');
    expect(whole.body.results.map((r) => r.outcome)).toEqual(['refused']);

    // Nothing is left Deleting or made Inactive: the registry never saw a delete.
    expect(await artifacts('del')).toEqual(before);
    expect(await tags('del')).toEqual({ a: 'Active', b: 'Active' });
    expect((await image('del')).body).toMatchObject({ status: 'Active', artifactCount: 1, tagCount: 2 });

    await relay.restore();
    expect((await berth.api('DELETE', '/repositories/fault/images/del/tags/b')).status).toBe(200);
    expect(await tags('del')).toEqual({ a: 'Active' });
    await skopeoDelete(`docker://${berth.host}/fault/del@${layout.manifestDigest}`, { creds: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(await artifacts('del')).toEqual({});
    expect((await v2('fault/del/manifests/a')).status).toBe(404);
  });
});
