import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { MANIFEST_ACCEPT } from '@berth/oci';
import { skopeoCopy, startFaultyProxy, writeImageLayout, type FaultyProxy } from '@berth/testkit';
import { repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

const TOKEN = 'metrics-token-upstream-errors-1';

/**
 * `berth_upstream_errors_total` counts what the upstream registry did wrong (a 5xx, or no
 * answer), not Berth's answers: a refused or unknown request through the front door leaves it
 * alone, an injected upstream 500 and an upstream that is gone each count once.
 */
describe('metrics: upstream errors are the registry’s, not Berth’s', () => {
  let registry: Upstream;
  let proxy: FaultyProxy;
  let berth: RunningBerth;
  let work: string;
  let layerDigest: string;
  let auth: string;
  let refusing = false;

  const upstreamErrors = async () => {
    const text = await (await fetch(`${berth.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    return Number(/^berth_upstream_errors_total (\d+)/m.exec(text)?.[1] ?? 'NaN');
  };
  const v2 = (p: string) => fetch(`${berth.url}/v2/${p}`, { headers: { authorization: auth, accept: MANIFEST_ACCEPT } });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-upstream-errors-'));
    registry = await startUpstream();
    proxy = await startFaultyProxy(registry.url, (method, p) => refusing && method === 'GET' && p.includes('/blobs/'));
    berth = await startBerth(proxy.url, { env: { BERTH_METRICS_TOKEN: TOKEN } });
    const secret = await repositoryWithUser(berth, 'ops', 'ci', 'push');
    auth = `Basic ${Buffer.from(`ops:${secret}`).toString('base64')}`;
    const layout = path.join(work, 'app');
    const written = await writeImageLayout(layout, { tag: '1', layers: [{ randomBytes: 2_000, seed: 'upstream-errors' }] });
    layerDigest = written.layerDigests[0]!;
    await skopeoCopy(`oci:${layout}:1`, `docker://${berth.host}/ops/app:1`, { destCreds: { username: 'ops', password: secret } });
  });
  afterAll(async () => {
    await berth?.stop();
    await proxy?.close().catch(() => undefined);
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('counts an upstream 500 and an unreachable upstream, and nothing for Berth’s own refusals', async () => {
    expect(await upstreamErrors()).toBe(0);
    expect((await v2('ops/app/manifests/nope')).status).toBe(404);
    expect((await fetch(`${berth.url}/v2/ops/app/manifests/1`)).status).toBe(401);
    expect((await v2('ops/app/manifests/-bad-')).status).toBe(404);
    expect(await upstreamErrors()).toBe(0);

    refusing = true;
    const failed = await v2(`ops/app/blobs/${layerDigest}`);
    expect(failed.status).toBe(500);
    await failed.arrayBuffer();
    expect(await upstreamErrors()).toBe(1);

    await proxy.close();
    const gone = await v2(`ops/app/blobs/${layerDigest}`);
    expect(gone.status).toBe(502);
    await gone.arrayBuffer();
    expect(await upstreamErrors()).toBe(2);

    // Berth's own failure (the table its pull check reads is gone) answers 500 too, and is not the registry's.
    await sql`drop table scans`.execute((berth.store as unknown as { db: Kysely<unknown> }).db);
    const own = await v2('ops/app/manifests/1');
    expect(own.status).toBeGreaterThanOrEqual(500);
    await own.arrayBuffer();
    expect(await upstreamErrors()).toBe(2);
  });
});
