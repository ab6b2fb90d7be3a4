// `BENCH_ONLY=lifecycle`: the policy test over 100,000 tags, a bulk delete of 50 tags on the
// embedded registry, and garbage collection over 100,000 blobs.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { MediaType, RegistryClient } from '@berth/oci';
import { collectGarbage, RegistryStorage } from '@berth/registry';
import type { Kysely } from 'kysely';
import { loadConfig, start } from '../apps/server/src/main.ts';

const ADMIN = 'bench-admin-password';

export interface LifecycleResult {
  policyTest: { tags: number; artifacts: number; deletes: number; keeps: number; runs: number; p50Ms: number; maxMs: number; responseMiB: number };
  bulkDelete: { tags: number; runs: number; p50Ms: number; maxMs: number };
  gc: { blobs: number; referenced: number; manifests: number; freedBlobs: number; freedMiB: number; seconds: number; blobsPerSecond: number; mibPerSecond: number };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const digestOf = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function startBerth(dataDir: string) {
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_HOST: '127.0.0.1',
    BERTH_DATA_DIR: dataDir,
    BERTH_ADMIN_PASSWORD: ADMIN,
    BERTH_RECONCILE_ON_START: 'false',
    BERTH_RECONCILE_INTERVAL_MINUTES: '0',
    BERTH_LOGIN_RATE_LIMIT: '10000',
  });
  return start(config, { logger: pino({ level: process.env.BENCH_BERTH_LOG ?? 'silent' }) });
}

/**
 * One image with `tags` artifacts, one tag each, pushed over the last two years, a tenth
 * of them pulled lately, one in fifty matching a keep pattern, written straight into the
 * store (indexing 100,000 pushes one by one would take the bench's time, not the test's).
 * Then the policy test through the API, as the console asks for it.
 */
async function policyTest(tags: number, runs: number): Promise<LifecycleResult['policyTest']> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-policy-'));
  const berth = await startBerth(dataDir);
  try {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}`;
    const api = (method: string, p: string, body?: unknown) =>
      fetch(`${berth.url}/api/v1${p}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await api('POST', '/repositories', { name: 'bench' });
    const now = Date.now();
    await berth.store.images.recordPush({
      repository: 'bench', image: 'big', digest: digestOf('seed'), mediaType: MediaType.OciManifest, artifactType: null,
      size: 1000, platforms: [], children: [], subject: null, tag: 't0', at: new Date(now).toISOString(), actor: 'bench',
    });
    const imageId = (await berth.store.images.get((await berth.store.repositories.id('bench'))!, 'big'))!.id;
    const db = (berth.store as unknown as { db: Kysely<any> }).db; // eslint-disable-line @typescript-eslint/no-explicit-any -- bulk seeding
    const batch = 2000;
    for (let start = 1; start < tags; start += batch) {
      const rows = [];
      for (let i = start; i < Math.min(tags, start + batch); i++) {
        const pushedAt = new Date(now - (i % 730) * 86_400_000 - i).toISOString();
        rows.push({ image_id: imageId, digest: digestOf(`a${i}`), media_type: MediaType.OciManifest, artifact_type: null, size: 1000 + (i % 5000),
          platforms: '[]', pushed_at: pushedAt, pulled_at: i % 10 === 0 ? new Date(now - (i % 20) * 86_400_000).toISOString() : null, pull_count: 0 });
      }
      await db.insertInto('artifacts').values(rows).execute();
      const ids = await db.selectFrom('artifacts').select(['id', 'digest', 'pushed_at']).where('image_id', '=', imageId).where('digest', 'in', rows.map((r) => r.digest)).execute();
      await db.insertInto('tags').values(ids.map((r: { id: number; pushed_at: string }, k: number) => ({
        image_id: imageId, artifact_id: r.id, name: `${(start + k) % 50 === 0 ? 'release' : 'build'}-${start + k}`, pushed_at: r.pushed_at, pulled_at: null, pull_count: 0,
      }))).execute();
    }
    await api('PUT', '/repositories/bench/images/big/deletion-policy', {
      enabled: true, untagged: true, olderThanDays: 90, keepNewest: 100, keepPulledWithinDays: 14, keepTagPatterns: ['release-*'],
    });
    const times: number[] = [];
    let last: { delete: unknown[]; keep: unknown[] } = { delete: [], keep: [] };
    let bytes = 0;
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const res = await api('POST', '/repositories/bench/images/big/deletion-policy/test');
      const text = await res.text();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`policy test: ${res.status} ${text.slice(0, 200)}`);
      last = JSON.parse(text) as typeof last;
      bytes = text.length;
      if (i > 0) times.push(ms); // the first one warms up
    }
    return {
      tags, artifacts: tags, deletes: last.delete.length, keeps: last.keep.length, runs,
      p50Ms: Math.round(percentile(times, 50)), maxMs: Math.round(Math.max(...times)), responseMiB: Math.round((bytes / 2 ** 20) * 10) / 10,
    };
  } finally {
    await berth.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 50 tags on one image in Berth's embedded registry, deleted with one bulk request; re-tagged between runs. */
async function bulkDelete(runs: number): Promise<LifecycleResult['bulkDelete']> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-bulk-'));
  const berth = await startBerth(dataDir);
  try {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN}`).toString('base64')}`;
    await fetch(`${berth.url}/api/v1/repositories`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"name":"bench"}' });
    const client = new RegistryClient(berth.url, { username: 'admin', password: ADMIN });
    const config = await client.pushBlob('bench/bulk', new TextEncoder().encode('{"architecture":"amd64","os":"linux"}'));
    const layer = await client.pushBlob('bench/bulk', randomBytes(4096));
    const manifest = new TextEncoder().encode(JSON.stringify({
      schemaVersion: 2, mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciConfig, digest: config, size: 37 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer, size: 4096 }],
    }));
    const tags = Array.from({ length: 50 }, (_, i) => `t${i}`);
    // Something stays: the digest keeps one tag, as a real image would.
    await client.putManifest('bench/bulk', 'keep', manifest, MediaType.OciManifest);
    const times: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      for (const tag of tags) await client.putManifest('bench/bulk', tag, manifest, MediaType.OciManifest);
      const t0 = performance.now();
      const res = await fetch(`${berth.url}/api/v1/repositories/bench/images/bulk/tags:delete`, {
        method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ tags }),
      });
      const body = (await res.json()) as { results: { outcome: string }[] };
      const ms = performance.now() - t0;
      if (!res.ok || body.results.some((r) => r.outcome !== 'deleted')) throw new Error(`bulk delete: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      if (i > 0) times.push(ms);
    }
    return { tags: tags.length, runs, p50Ms: Math.round(percentile(times, 50)), maxMs: Math.round(Math.max(...times)) };
  } finally {
    await berth.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The embedded registry's storage with `blobs` blobs of 4 KiB: half are the layers of
 * manifests (50 each) of one repository, half belong to nothing. Everything is older than
 * the grace period. One collection: blobs looked at per second, and MiB freed per second.
 */
async function gc(blobs: number): Promise<LifecycleResult['gc']> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-gc-'));
  try {
    const storage = new RegistryStorage(root);
    await storage.init();
    const old = new Date(Date.now() - 2 * 86_400_000);
    const repo = path.join(root, 'repositories', 'bench', 'app');
    const referenced: string[] = [];
    for (let i = 0; i < blobs; i++) {
      const data = randomBytes(4096);
      const d = digestOf(data);
      const hex = d.slice(7);
      const file = path.join(root, 'blobs', 'sha256', hex.slice(0, 2), hex);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
      fs.utimesSync(file, old, old);
      if (i % 2 === 0) {
        referenced.push(d);
        const link = path.join(repo, '_layers', 'sha256', hex);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.writeFileSync(link, '');
        fs.utimesSync(link, old, old);
      }
    }
    const config = new TextEncoder().encode('{}');
    const configHex = digestOf(config).slice(7);
    const configFile = path.join(root, 'blobs', 'sha256', configHex.slice(0, 2), configHex);
    fs.mkdirSync(path.dirname(configFile), { recursive: true });
    fs.writeFileSync(configFile, config);
    fs.mkdirSync(path.join(repo, '_layers', 'sha256'), { recursive: true });
    fs.writeFileSync(path.join(repo, '_layers', 'sha256', configHex), '');
    let manifests = 0;
    for (let i = 0; i < referenced.length; i += 50) {
      const body = Buffer.from(JSON.stringify({
        schemaVersion: 2, mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciEmpty, digest: `sha256:${configHex}`, size: 2 },
        layers: referenced.slice(i, i + 50).map((digest) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: 4096 })),
      }));
      await storage.putManifest('bench/app', { kind: 'tag', tag: `m${i / 50}` }, body, MediaType.OciManifest);
      manifests++;
    }
    const t0 = performance.now();
    const report = await collectGarbage(storage, { graceMs: 60_000 });
    const seconds = (performance.now() - t0) / 1000;
    const looked = blobs + manifests + 1;
    return {
      blobs, referenced: referenced.length, manifests, freedBlobs: report.blobs, freedMiB: Math.round((report.bytes / 2 ** 20) * 10) / 10,
      seconds: Math.round(seconds * 100) / 100, blobsPerSecond: Math.round(looked / seconds), mibPerSecond: Math.round((report.bytes / 2 ** 20 / seconds) * 10) / 10,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function lifecycleBench(opts: { tags: number; runs: number; blobs: number }): Promise<LifecycleResult> {
  return { policyTest: await policyTest(opts.tags, opts.runs), bulkDelete: await bulkDelete(opts.runs), gc: await gc(opts.blobs) };
}
