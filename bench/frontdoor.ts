/**
 * Front-door benchmark: the same bytes pushed and pulled straight to a registry and through
 * Berth in front of the same kind of registry, in the same run, plus Berth's RSS while it
 * streams. Two setups: Berth on its embedded default (direct = the embedded registry alone,
 * in its own process, as `bench/embedded-registry.ts` runs it) and Berth in front of CNCF
 * distribution (direct = a second, fresh distribution). Every run pushes new random bytes,
 * so no side ever finds a blob it already holds. Berth runs on SQLite (its default) or on a
 * throwaway PostgreSQL 15 cluster (`store`).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import {
  createDatabase,
  skopeoCopy,
  startBuiltBerth,
  startDistribution,
  startPostgres,
  writeImageLayout,
  type Postgres,
} from '@berth/testkit';

const MiB = 1024 * 1024;

interface Side {
  pushMiBps: number;
  pullMiBps: number;
}

/** Figures of one client kind: skopeo moving a whole image, or a lean raw-HTTP blob client. */
export interface ClientFigures {
  direct: Side;
  berth: Side;
  ratio: { push: number; pull: number };
}

/** What Berth stands in front of: its embedded registry (the default) or CNCF distribution. */
export type Upstream = 'embedded' | 'distribution';

export interface FrontDoorResult {
  upstream: Upstream;
  /** Berth's store: SQLite under its data directory, or a throwaway PostgreSQL 15 cluster. */
  store: 'sqlite' | 'postgres';
  blobMiB: number;
  runs: number;
  /** skopeo copy of a one-layer image of blobMiB: what users run; the budget is checked here. */
  skopeo: ClientFigures;
  /** node:http blob upload and download: the proxy's ceiling on loopback. */
  http: ClientFigures;
  berthRssMiB: { baseline: number; peak: number; growth: number };
  /**
   * CPU seconds per skopeo push (median of the runs): the whole machine's busy time (client,
   * registry, Berth and all) for each side, and Berth's own process on its side. On a machine
   * whose cores the push already fills, what Berth adds here is what its ratio loses.
   */
  skopeoPushCpu: { direct: number; berth: number; berthProcess: number };
}

/** Starts Berth's embedded registry alone in a child process; resolves with its URL and a stop. */
export async function startEmbeddedProcess(root: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/embedded-registry.ts', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`embedded registry exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function writeRandomFile(file: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file);
  for (let left = bytes; left > 0; ) {
    const n = Math.min(left, 4 * MiB);
    const chunk = randomBytes(n);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    left -= n;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return `sha256:${hash.digest('hex')}`;
}

/** Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream kernel. */
const TICKS = 100;

/** CPU seconds all cores spent busy (not idle or waiting on I/O) since boot. */
function machineBusySeconds(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = f[3]! + f[4]!;
  return (f.reduce((a, b) => a + b, 0) - idle) / TICKS;
}

/** CPU seconds a process spent, user and system, over all its threads. */
function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

export function rssMiB(pid: number): number {
  if (!fs.existsSync(`/proc/${pid}/status`)) return 0;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? '0');
  return kb / 1024;
}

export interface Target {
  base: string;
  auth: string;
}

/** One HTTP request with node:http: a lean client, so the client's CPU cost stays small. */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: fs.ReadStream,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; res: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, res }));
    req.on('error', reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

async function drain(res: http.IncomingMessage, hash?: ReturnType<typeof createHash>): Promise<number> {
  let got = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    got += chunk.byteLength;
    hash?.update(chunk);
  }
  return got;
}

const agent = new http.Agent({ keepAlive: true });
const authHeader = (t: Target): Record<string, string> => (t.auth ? { authorization: t.auth } : {});

export async function pushBlob(t: Target, name: string, file: string, digest: string, size: number): Promise<number> {
  const started = performance.now();
  const post = await send(new URL(`/v2/${name}/blobs/uploads/`, t.base), 'POST', authHeader(t));
  await drain(post.res);
  if (post.status !== 202) throw new Error(`upload start: ${post.status}`);
  const location = new URL(String(post.headers.location), t.base);
  location.searchParams.set('digest', digest);
  const put = await send(
    location,
    'PUT',
    { ...authHeader(t), 'content-type': 'application/octet-stream', 'content-length': String(size) },
    fs.createReadStream(file, { highWaterMark: MiB }),
  );
  await drain(put.res);
  if (put.status !== 201) throw new Error(`upload: ${put.status}`);
  return (performance.now() - started) / 1000;
}

/** Pulls the blob; `verify` re-hashes it (kept out of timed runs, hashing is client CPU). */
export async function pullBlob(t: Target, name: string, digest: string, size: number, verify = false): Promise<number> {
  const started = performance.now();
  const got = await send(new URL(`/v2/${name}/blobs/${digest}`, t.base), 'GET', authHeader(t));
  if (got.status !== 200) throw new Error(`pull: ${got.status}`);
  const hash = verify ? createHash('sha256') : undefined;
  const bytes = await drain(got.res, hash);
  if (bytes !== size) throw new Error(`pulled ${bytes} bytes, pushed ${size}`);
  if (hash && `sha256:${hash.digest('hex')}` !== digest) throw new Error('pulled bytes differ from pushed bytes');
  return (performance.now() - started) / 1000;
}

/**
 * Creates the repository `bench` on a fresh Berth and returns a target that calls /v2 with
 * an admin token for `bench/blob` and `bench/image` (pull, push, delete).
 */
export async function berthTarget(base: string, adminPassword: string): Promise<Target> {
  const admin = `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`;
  const created = await fetch(`${base}/api/v1/repositories`, {
    method: 'POST',
    headers: { authorization: admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`create repository: ${created.status}`);
  const tokenRes = await fetch(`${base}/service/token?service=berth&scope=repository:bench/blob:pull,push,delete&scope=repository:bench/image:pull,push,delete`, {
    headers: { authorization: admin },
  });
  const { token } = (await tokenRes.json()) as { token: string };
  return { base, auth: `Bearer ${token}` };
}

export async function frontDoorBench(opts: { blobMiB: number; runs: number; upstream: Upstream; store?: 'sqlite' | 'postgres' }): Promise<FrontDoorResult> {
  const store = opts.store ?? 'sqlite';
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const size = opts.blobMiB * MiB;
  const stops: (() => Promise<void>)[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const directRegistry = opts.upstream === 'embedded' ? await startEmbeddedProcess(path.join(work, 'direct')) : await startDistribution();
    stops.push(() => directRegistry.stop());
    const env: Record<string, string> = {
      BERTH_DATA_DIR: path.join(work, 'berth'),
      BERTH_ADMIN_PASSWORD: 'bench-admin-password',
      BERTH_LOG_LEVEL: process.env.BENCH_BERTH_LOG ?? 'warn',
    };
    if (opts.upstream === 'distribution') {
      const behind = await startDistribution();
      stops.push(() => behind.stop());
      env.BERTH_UPSTREAM_URL = behind.url;
    }
    if (store === 'postgres') {
      const pg: Postgres = await startPostgres();
      stops.push(() => pg.stop());
      env.BERTH_DATABASE_URL = await createDatabase(pg.url, 'berth_frontdoor');
    }
    const berth = await startBuiltBerth(env, { showLogs: Boolean(process.env.BENCH_BERTH_LOG) });
    stops.push(() => berth.stop());
    const direct: Target = { base: directRegistry.url, auth: '' };
    const viaBerth = await berthTarget(berth.url, 'bench-admin-password');

    const baseline = rssMiB(berth.pid);
    let peak = baseline;
    sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(berth.pid));
    }, 20);

    const creds = { username: 'admin', password: 'bench-admin-password' };
    const sides = (run: number): ['direct' | 'berth', Target][] => {
      // Alternate which side goes first so neither always gets the warmer page cache.
      const both: ['direct' | 'berth', Target][] = [['direct', direct], ['berth', viaBerth]];
      return run % 2 === 0 ? both : both.reverse();
    };
    const skopeoTimes: Times = { direct: { push: [], pull: [] }, berth: { push: [], pull: [] } };
    const pushCpu = { direct: [] as number[], berth: [] as number[], berthProcess: [] as number[] };
    let imageMiB = 0;
    for (let run = 0; run < opts.runs; run++) {
      // New random bytes every run: a registry that already holds a layer is not sent it again.
      const layout = path.join(work, `layout-${run}`);
      const image = await writeImageLayout(layout, { tag: 'big', layers: [{ randomBytes: size, seed: `bench-${run}-${randomBytes(8).toString('hex')}` }] });
      imageMiB = image.totalSize / MiB;
      for (const [label, t] of sides(run)) {
        const ref = `docker://${new URL(t.base).host}/bench/image:run-${run}`;
        const cpu0 = machineBusySeconds();
        const berthCpu0 = processCpuSeconds(berth.pid);
        let t0 = performance.now();
        await skopeoCopy(`oci:${layout}:big`, ref, label === 'berth' ? { destCreds: creds } : {});
        skopeoTimes[label].push.push((performance.now() - t0) / 1000);
        pushCpu[label].push(machineBusySeconds() - cpu0);
        if (label === 'berth') pushCpu.berthProcess.push(processCpuSeconds(berth.pid) - berthCpu0);
        const dest = path.join(work, `pulled-${label}-${run}`);
        t0 = performance.now();
        await skopeoCopy(ref, `oci:${dest}:big`, label === 'berth' ? { srcCreds: creds } : {});
        skopeoTimes[label].pull.push((performance.now() - t0) / 1000);
        fs.rmSync(dest, { recursive: true, force: true });
      }
      fs.rmSync(layout, { recursive: true, force: true });
    }

    const times: Times = { direct: { push: [], pull: [] }, berth: { push: [], pull: [] } };
    const file = path.join(work, 'blob');
    for (let run = 0; run < opts.runs; run++) {
      const digest = await writeRandomFile(file, size);
      const last = run === opts.runs - 1;
      for (const [label, t] of sides(run)) {
        times[label].push.push(await pushBlob(t, 'bench/blob', file, digest, size));
        times[label].pull.push(await pullBlob(t, 'bench/blob', digest, size));
        // Untimed, once: the bytes that come back are the bytes that went in.
        if (last) await pullBlob(t, 'bench/blob', digest, size, true);
      }
    }
    clearInterval(sampler);
    return {
      upstream: opts.upstream,
      store,
      blobMiB: opts.blobMiB,
      runs: opts.runs,
      skopeo: figures(skopeoTimes, imageMiB),
      http: figures(times, opts.blobMiB),
      berthRssMiB: { baseline: Math.round(baseline), peak: Math.round(peak), growth: Math.round(peak - baseline) },
      skopeoPushCpu: { direct: median(pushCpu.direct), berth: median(pushCpu.berth), berthProcess: median(pushCpu.berthProcess) },
    };
  } finally {
    clearInterval(sampler);
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

type Times = Record<'direct' | 'berth', { push: number[]; pull: number[] }>;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 100) / 100;
}

/** Best run of each side, as MiB/s, and Berth's share of direct throughput. */
function figures(times: Times, mib: number): ClientFigures {
  const best = (xs: number[]) => Math.min(...xs);
  const mibps = (seconds: number) => Math.round((mib / seconds) * 10) / 10;
  const ratio = (a: number[], b: number[]) => Math.round((best(a) / best(b)) * 100) / 100;
  return {
    direct: { pushMiBps: mibps(best(times.direct.push)), pullMiBps: mibps(best(times.direct.pull)) },
    berth: { pushMiBps: mibps(best(times.berth.push)), pullMiBps: mibps(best(times.berth.pull)) },
    ratio: { push: ratio(times.direct.push, times.berth.push), pull: ratio(times.direct.pull, times.berth.pull) },
  };
}
