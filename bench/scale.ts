/**
 * Scale-out benchmark: aggregate blob throughput of `concurrency` clients each pushing
 * then pulling its own random blob, through one Berth instance vs two, both behind the
 * testkit's round-robin balancer (so the balancer's cost is the same on both sides). The
 * deployment of docs/deploy.md in miniature: the instances share one PostgreSQL and one
 * BERTH_SECRET_KEY, each fronts its own distribution, and the two distributions share one
 * storage directory. Straight to one distribution with the same clients, for reference.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, startBuiltBerth, startDistribution, startPostgres, startRoundRobin, type BerthProcess, type Distribution, type Postgres } from '@berth/testkit';
import { pullBlob, pushBlob, writeRandomFile, type Target } from './frontdoor.ts';

const MiB = 1024 * 1024;

export interface ScaleSide {
  pushMiBps: number;
  pullMiBps: number;
}

export interface ScaleResult {
  blobMiB: number;
  concurrency: number;
  runs: number;
  direct: ScaleSide;
  oneInstance: ScaleSide;
  twoInstances: ScaleSide;
  /** Two instances' throughput over one's. */
  ratio: { push: number; pull: number };
}

const ADMIN = { username: 'admin', password: 'bench-admin-password' };
const basic = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
const NAME = 'bench/scale';

async function bearer(base: string): Promise<string> {
  const res = await fetch(`${base}/service/token?service=berth&scope=repository:${NAME}:pull,push,delete`, { headers: { authorization: basic } });
  if (res.status !== 200) throw new Error(`token: ${res.status}`);
  return `Bearer ${((await res.json()) as { token: string }).token}`;
}

export async function scaleBench(opts: { blobMiB: number; concurrency: number; runs: number }): Promise<ScaleResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-scale-'));
  const size = opts.blobMiB * MiB;
  let pg: Postgres | undefined;
  let registries: Distribution[] = [];
  let instances: BerthProcess[] = [];
  try {
    const blobs = await Promise.all(
      Array.from({ length: opts.concurrency }, async (_, i) => {
        const file = path.join(work, `blob-${i}`);
        return { file, digest: await writeRandomFile(file, size) };
      }),
    );
    pg = await startPostgres();
    const databaseUrl = await createDatabase(pg.url, 'berth_scale');
    const storageDir = path.join(work, 'registry');
    const httpSecret = randomBytes(16).toString('hex');
    registries = await Promise.all([0, 1].map(() => startDistribution({ storageDir, env: { REGISTRY_HTTP_SECRET: httpSecret } })));
    const secretKey = randomBytes(32).toString('base64url');
    instances = await Promise.all(
      registries.map((r, i) =>
        startBuiltBerth({
          BERTH_DATABASE_URL: databaseUrl,
          BERTH_UPSTREAM_URL: r.url,
          BERTH_SECRET_KEY: secretKey,
          BERTH_ADMIN_PASSWORD: ADMIN.password,
          BERTH_DATA_DIR: path.join(work, `berth-${i}`),
          BERTH_LOG_LEVEL: process.env.BENCH_BERTH_LOG ?? 'warn',
        }),
      ),
    );
    const created = await fetch(`${instances[0]!.url}/api/v1/repositories`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`create repository: ${created.status}`);

    type Label = 'direct' | 'oneInstance' | 'twoInstances';
    const best: Record<Label, { push: number; pull: number }> = {
      direct: { push: Infinity, pull: Infinity },
      oneInstance: { push: Infinity, pull: Infinity },
      twoInstances: { push: Infinity, pull: Infinity },
    };
    const sides: [Label, string[] | null][] = [
      ['direct', null],
      ['oneInstance', [instances[0]!.url]],
      ['twoInstances', instances.map((b) => b.url)],
    ];
    for (let run = 0; run < opts.runs; run++) {
      // Rotate the order so no side always runs first (or last, on a warmer page cache).
      const order = sides.map((_, i) => sides[(i + run) % sides.length]!);
      for (const [label, targets] of order) {
        const lb = targets ? await startRoundRobin(targets) : null;
        try {
          const t: Target = lb ? { base: lb.url, auth: await bearer(lb.url) } : { base: registries[0]!.url, auth: '' };
          let t0 = performance.now();
          await Promise.all(blobs.map((b) => pushBlob(t, NAME, b.file, b.digest, size)));
          best[label].push = Math.min(best[label].push, (performance.now() - t0) / 1000);
          t0 = performance.now();
          await Promise.all(blobs.map((b) => pullBlob(t, NAME, b.digest, size)));
          best[label].pull = Math.min(best[label].pull, (performance.now() - t0) / 1000);
          // Untimed: one blob's bytes come back intact, then every blob goes (straight at the
          // shared storage: Berth refuses blob deletes on /v2) so the next side uploads all again.
          await pullBlob(t, NAME, blobs[0]!.digest, size, true);
          for (const b of blobs) await deleteStoredBlob(registries[0]!.url, NAME, b.digest);
        } finally {
          await lb?.stop();
        }
      }
    }
    const total = opts.blobMiB * opts.concurrency;
    const side = (l: Label): ScaleSide => ({
      pushMiBps: Math.round((total / best[l].push) * 10) / 10,
      pullMiBps: Math.round((total / best[l].pull) * 10) / 10,
    });
    const two = side('twoInstances');
    const one = side('oneInstance');
    return {
      blobMiB: opts.blobMiB,
      concurrency: opts.concurrency,
      runs: opts.runs,
      direct: side('direct'),
      oneInstance: one,
      twoInstances: two,
      ratio: { push: Math.round((two.pushMiBps / one.pushMiBps) * 100) / 100, pull: Math.round((two.pullMiBps / one.pullMiBps) * 100) / 100 },
    };
  } finally {
    await Promise.all(instances.map((b) => b.stop()));
    await Promise.all(registries.map((r) => r.stop()));
    await pg?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Deletes a blob straight at distribution (no auth: the bench's registries have none). */
async function deleteStoredBlob(base: string, name: string, digest: string): Promise<void> {
  const res = await fetch(new URL(`/v2/${name}/blobs/${digest}`, base), { method: 'DELETE' });
  await res.body?.cancel();
  if (res.status !== 202) throw new Error(`delete: ${res.status}`);
}
