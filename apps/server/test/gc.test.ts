import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcReport } from '@berth/api';
import { skopeoCopy, skopeoInspect, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const admin = { username: 'admin', password: ADMIN_PASSWORD };
const basic = (c: { username: string; password: string }) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

describe('garbage collection through the API', () => {
  let berth: RunningBerth;
  let work: string;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gc-'));
    berth = await startBerth(null, { env: { BERTH_GC_GRACE_MINUTES: '0' } });
  });
  afterAll(async () => {
    await berth?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('reports on a dry run, frees the same on a real run, and keeps what a tag still needs', async () => {
    const pushSecret = await repositoryWithUser(berth, 'team', 'ci', 'push');
    const layout = path.join(work, 'layout');
    const keep = await writeImageLayout(layout, { tag: 'keep', layers: [{ randomBytes: 100_000, seed: 'keep' }] });
    const drop = await writeImageLayout(layout, { tag: 'drop', layers: [{ randomBytes: 200_000, seed: 'drop' }] });
    for (const tag of ['keep', 'drop']) {
      await skopeoCopy(`oci:${layout}:${tag}`, `docker://${berth.host}/team/app:${tag}`, { destCreds: { username: 'team', password: pushSecret } });
    }
    const del = await fetch(`${berth.url}/v2/team/app/manifests/${drop.manifestDigest}`, { method: 'DELETE', headers: { authorization: basic(admin) } });
    expect(del.status).toBe(202);

    const gc = (body: unknown, auth?: string) => berth.api<GcReport>('POST', '/registries/default/gc', body, auth);
    const forbidden = await gc({}, basic({ username: 'team', password: pushSecret }));
    expect([401, 403]).toContain(forbidden.status);

    const registry = await berth.api<{ engine: string }[]>('GET', '/registries');
    expect(registry.body[0]!.engine).toBe('embedded');
    expect((await gc({ dryRun: 'yes' })).status).toBe(400);

    // The default is a dry run: it reports the deleted image's manifest, config and layer.
    const dry = await gc({});
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, blobs: 3 });
    expect(dry.body.bytes).toBe(drop.totalSize);
    const real = await gc({ dryRun: false });
    expect(real.status).toBe(200);
    expect({ ...real.body, dryRun: true }).toEqual(dry.body);
    const after = await gc({ dryRun: true });
    expect(after.body).toMatchObject({ blobs: 0, bytes: 0 });

    // What the remaining tag needs is all there: a client pulls it whole.
    const pulled = path.join(work, 'pulled');
    await skopeoCopy(`docker://${berth.host}/team/app:keep`, `oci:${pulled}:keep`, { srcCreds: admin });
    const raw = await skopeoInspect(`docker://${berth.host}/team/app:keep`, { raw: true, creds: admin });
    expect(raw).toBe(keep.manifestJson);
  });
});

describe('garbage collection with another registry behind Berth', () => {
  let upstream: Upstream;
  let berth: RunningBerth;
  beforeAll(async () => {
    upstream = await startUpstream();
    berth = await startBerth(upstream.url);
  });
  afterAll(async () => {
    await berth?.stop();
    await upstream?.stop();
  });

  it('answers 409 REGISTRY_UNSUPPORTED', async () => {
    const res = await berth.api<{ error: { code: string } }>('POST', '/registries/default/gc', { dryRun: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('REGISTRY_UNSUPPORTED');
  });
});
