import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST_ACCEPT, MediaType, sha256Digest } from '@berth/oci';
import { startBuiltBerth, startDistribution } from '@berth/testkit';
import { berthTarget, pullBlob, pushBlob, startEmbeddedProcess, writeRandomFile, type Target } from './frontdoor.ts';

/** The four setups: each registry alone, and each behind Berth. */
export type Setup = 'embedded' | 'distribution' | 'berth+embedded' | 'berth+distribution';
export const SETUPS: Setup[] = ['embedded', 'distribution', 'berth+embedded', 'berth+distribution'];

export interface SetupFigures {
  pushMiBps: number;
  pullMiBps: number;
  manifestP50Ms: number;
  manifestP99Ms: number;
}

export interface RegistryResult {
  blobMiB: number;
  runs: number;
  manifestGets: number;
  setups: Record<Setup, SetupFigures>;
}

const MiB = 1024 * 1024;
const PASSWORD = 'bench-admin-password';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function getOnce(url: URL, auth: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent, headers: { accept: MANIFEST_ACCEPT, ...(auth ? { authorization: auth } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`manifest GET: ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

/** Pushes a small image (config, layer, manifest tagged `v1`) for the latency runs. */
async function pushSmallImage(t: Target): Promise<string> {
  const headers = (extra: Record<string, string> = {}) => ({ ...(t.auth ? { authorization: t.auth } : {}), ...extra });
  const config = Buffer.from(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(4096);
  for (const blob of [config, layer]) {
    const start = await fetch(new URL('/v2/bench/image/blobs/uploads/', t.base), { method: 'POST', headers: headers() });
    if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
    const url = new URL(start.headers.get('location')!, t.base);
    url.searchParams.set('digest', sha256Digest(blob));
    const put = await fetch(url, { method: 'PUT', headers: headers({ 'content-type': 'application/octet-stream' }), body: blob });
    if (put.status !== 201) throw new Error(`upload: ${put.status}`);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256Digest(layer), size: layer.length }],
  });
  const put = await fetch(new URL('/v2/bench/image/manifests/v1', t.base), { method: 'PUT', headers: headers({ 'content-type': MediaType.OciManifest }), body: manifest });
  if (put.status !== 201) throw new Error(`manifest put: ${put.status}`);
  return sha256Digest(manifest);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Embedded registry vs CNCF distribution, alone and behind Berth, in one run: blob push and
 * pull throughput (raw HTTP, best of `runs`, setups interleaved in a rotating order) and
 * manifest GET latency (sequential GETs on one keep-alive connection, by tag and by digest
 * alternately, after a warm-up).
 */
export async function registryBench(opts: { blobMiB: number; runs: number; manifestGets: number }): Promise<RegistryResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-registry-'));
  const size = opts.blobMiB * MiB;
  const file = path.join(work, 'blob');
  const stops: (() => Promise<void>)[] = [];
  try {
    const embedded = await startEmbeddedProcess(path.join(work, 'embedded'));
    stops.push(() => embedded.stop());
    const distribution = await startDistribution();
    stops.push(() => distribution.stop());
    const behind = await startDistribution();
    stops.push(() => behind.stop());
    const env = (name: string) => ({ BERTH_DATA_DIR: path.join(work, name), BERTH_ADMIN_PASSWORD: PASSWORD, BERTH_LOG_LEVEL: 'warn', BERTH_RECONCILE_ON_START: 'false' });
    const berthEmbedded = await startBuiltBerth(env('berth-embedded'));
    stops.push(() => berthEmbedded.stop());
    const berthDistribution = await startBuiltBerth({ ...env('berth-distribution'), BERTH_UPSTREAM_URL: behind.url });
    stops.push(() => berthDistribution.stop());

    const targets: Record<Setup, Target> = {
      embedded: { base: embedded.url, auth: '' },
      distribution: { base: distribution.url, auth: '' },
      'berth+embedded': await berthTarget(berthEmbedded.url, PASSWORD),
      'berth+distribution': await berthTarget(berthDistribution.url, PASSWORD),
    };
    const times: Record<Setup, { push: number[]; pull: number[]; gets: number[] }> = Object.fromEntries(
      SETUPS.map((s) => [s, { push: [], pull: [], gets: [] }]),
    ) as never;

    for (let run = 0; run < opts.runs; run++) {
      // New random bytes every run, so no registry already holds the blob.
      const digest = await writeRandomFile(file, size);
      // Rotate the order so no setup always runs first (or last) on a warm page cache.
      const order = SETUPS.map((_, i) => SETUPS[(i + run) % SETUPS.length]!);
      for (const s of order) {
        times[s].push.push(await pushBlob(targets[s], 'bench/blob', file, digest, size));
        times[s].pull.push(await pullBlob(targets[s], 'bench/blob', digest, size));
        // Untimed, once: the bytes that come back are the bytes that went in.
        if (run === opts.runs - 1) await pullBlob(targets[s], 'bench/blob', digest, size, true);
      }
    }

    for (const s of SETUPS) {
      const t = targets[s];
      const manifestDigest = await pushSmallImage(t);
      const byTag = new URL('/v2/bench/image/manifests/v1', t.base);
      const byDigest = new URL(`/v2/bench/image/manifests/${manifestDigest}`, t.base);
      for (let i = 0; i < 50; i++) await getOnce(byTag, t.auth);
      for (let i = 0; i < opts.manifestGets; i++) times[s].gets.push(await getOnce(i % 2 === 0 ? byTag : byDigest, t.auth));
    }

    const mibps = (xs: number[]) => Math.round((opts.blobMiB / Math.min(...xs)) * 10) / 10;
    const setups = Object.fromEntries(
      SETUPS.map((s) => {
        const gets = [...times[s].gets].sort((a, b) => a - b);
        const ms = (x: number) => Math.round(x * 100) / 100;
        return [s, { pushMiBps: mibps(times[s].push), pullMiBps: mibps(times[s].pull), manifestP50Ms: ms(percentile(gets, 50)), manifestP99Ms: ms(percentile(gets, 99)) }];
      }),
    ) as Record<Setup, SetupFigures>;
    return { blobMiB: opts.blobMiB, runs: opts.runs, manifestGets: opts.manifestGets, setups };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
