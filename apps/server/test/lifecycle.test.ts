import { createHash } from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Image, Page } from '@berth/api';
import { skopeoCopy, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, eventually, repositoryWithUser, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

/** Operations: metrics, and a stop that drains in-flight transfers and flushes counts. */
describe('lifecycle and operations', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let secret: string;
  let work: string;
  const env = { BERTH_PULL_FLUSH_MS: '600000', BERTH_SHUTDOWN_DRAIN_MS: '300', BERTH_METRICS_TOKEN: 'metrics-token-0123456789' };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-life-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url, { env });
    secret = await repositoryWithUser(berth, 'ops', 'ci', 'push');
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves Prometheus metrics to the metrics token or an admin, and to nobody else', async () => {
    const layout = path.join(work, 'm');
    await writeImageLayout(layout, { tag: 'm', layers: [{ files: { 'm.txt': 'metrics' } }] });
    await skopeoCopy(`oci:${layout}:m`, `docker://${berth.host}/ops/app:m`, { destCreds: { username: 'ops', password: secret } });
    expect((await fetch(`${berth.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${berth.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const asAdmin = await fetch(`${berth.url}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    });
    expect(asAdmin.status).toBe(200);
    const res = await fetch(`${berth.url}/metrics`, { headers: { authorization: `Bearer ${env.BERTH_METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/berth_http_requests_total\{route="v2_manifest",method="PUT",status="201"\} 1/);
    expect(text).toMatch(/berth_http_request_duration_seconds_bucket\{le="[^"]+",route="v2_blob"\}/);
    expect(text).toMatch(/berth_proxied_bytes_total\{direction="in"\} [1-9]/);
    expect(text).toMatch(/berth_store_duration_seconds_count\{method="images.recordPush"\} 1/);
  });

  it('reconciles at start-up as a job, and schedules the next run', async () => {
    const layout = path.join(work, 'around');
    const written = await writeImageLayout(layout, { tag: 'r1', layers: [{ files: { 'r.txt': 'pushed around Berth' } }] });
    await skopeoCopy(`oci:${layout}:r1`, `docker://${registry.host}/elsewhere/tool:r1`);
    // The daily policy run is put twelve hours off, so the only job due within the hour below is the reconcile.
    const policyRunAt = `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`;
    const fresh = await startBerth(registry.url, { env: { BERTH_RECONCILE_ON_START: 'true', BERTH_JOB_POLL_MS: '50', BERTH_POLICY_RUN_AT: policyRunAt } });
    try {
      const artifacts = await eventually(async () => {
        const res = await fresh.api<Page<Artifact>>('GET', '/repositories/elsewhere/images/tool/artifacts');
        expect(res.status).toBe(200);
        return res.body.items;
      });
      expect(artifacts.map((a) => [a.digest, a.tags])).toEqual([[written.manifestDigest, ['r1']]]);
      // The job finishes after its import is visible; then the next run is queued an hour on.
      await eventually(async () => {
        const jobs = await fresh.store.jobs.stats(new Date(Date.now() + 61 * 60_000).toISOString());
        expect(jobs).toMatchObject({ queued: 1, running: 0 });
      });
    } finally {
      await fresh.stop();
    }
  });

  it('on stop turns unready, lets an in-flight upload finish, and writes pending pull counts', async () => {
    // A pull whose count waits in memory (the flush interval is ten minutes here).
    await skopeoCopy(`docker://${berth.host}/ops/app:m`, `oci:${path.join(work, 'pulled')}:x`, {
      srcCreds: { username: 'ops', password: secret },
    });
    const auth = `Basic ${Buffer.from(`ops:${secret}`).toString('base64')}`;
    const post = await fetch(`${berth.url}/v2/ops/app/blobs/uploads/`, { method: 'POST', headers: { authorization: auth } });
    expect(post.status).toBe(202);
    const chunk = Buffer.alloc(64 * 1024, 7);
    const chunks = 16;
    const digest = `sha256:${createHash('sha256').update(Buffer.concat(Array(chunks).fill(chunk))).digest('hex')}`;
    const target = new URL(post.headers.get('location')!, berth.url);
    target.searchParams.set('digest', digest);

    // Start a slow upload, then ask Berth to stop while it is still sending.
    const upload = new Promise<number>((resolve, reject) => {
      const req = http.request(target, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/octet-stream', 'content-length': String(chunk.length * chunks) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      let sent = 0;
      const tick = setInterval(() => {
        req.write(chunk);
        if (++sent === chunks) {
          clearInterval(tick);
          req.end();
        }
      }, 60);
    });
    await new Promise((r) => setTimeout(r, 150));
    const stopped = berth.stop();
    const ready = await fetch(`${berth.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await upload).toBe(201);
    await stopped;

    const head = await fetch(`${registry.url}/v2/ops/app/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    berth = await berth.restart();
    const images = await berth.api<Page<Image>>('GET', '/repositories/ops/images');
    expect(images.body.items.find((i) => i.name === 'app')?.pullCount).toBe(1);
  });
});
