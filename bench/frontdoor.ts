/**
 * Front-door benchmark: blob push and pull of one large blob straight to CNCF
 * distribution and through Berth, in the same run, plus Berth's RSS while it streams.
 * Each side gets its own fresh distribution so no blob is deduplicated away.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { startDistribution } from '@berth/testkit';

const MiB = 1024 * 1024;

export interface FrontDoorResult {
  blobMiB: number;
  runs: number;
  direct: { pushMiBps: number; pullMiBps: number };
  berth: { pushMiBps: number; pullMiBps: number };
  ratio: { push: number; pull: number };
  berthRssMiB: { baseline: number; peak: number; growth: number };
}

async function writeRandomFile(file: string, bytes: number): Promise<string> {
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

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? '0');
  return kb / 1024;
}

interface Target {
  base: string;
  auth: string;
}

async function pushBlob(t: Target, name: string, file: string, digest: string, size: number): Promise<number> {
  const started = performance.now();
  const post = await fetch(`${t.base}/v2/${name}/blobs/uploads/`, { method: 'POST', headers: { authorization: t.auth } });
  if (post.status !== 202) throw new Error(`upload start: ${post.status} ${await post.text()}`);
  const location = new URL(post.headers.get('location')!, t.base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { authorization: t.auth, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body: Readable.toWeb(fs.createReadStream(file, { highWaterMark: MiB })) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (put.status !== 201) throw new Error(`upload: ${put.status} ${await put.text()}`);
  return (performance.now() - started) / 1000;
}

async function pullBlob(t: Target, name: string, digest: string, size: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${t.base}/v2/${name}/blobs/${digest}`, { headers: { authorization: t.auth } });
  if (res.status !== 200) throw new Error(`pull: ${res.status}`);
  let got = 0;
  const hash = createHash('sha256');
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    got += chunk.byteLength;
    hash.update(chunk);
  }
  if (got !== size || `sha256:${hash.digest('hex')}` !== digest) throw new Error('pulled bytes differ from pushed bytes');
  return (performance.now() - started) / 1000;
}

async function deleteBlob(t: Target, name: string, digest: string): Promise<void> {
  // Deleting lets the next run upload the same bytes again; Berth needs admin for DELETE.
  const res = await fetch(`${t.base}/v2/${name}/blobs/${digest}`, { method: 'DELETE', headers: { authorization: t.auth } });
  if (res.status !== 202) throw new Error(`delete: ${res.status} ${await res.text()}`);
}

/** Starts the built Berth as its own process, so its RSS is its own. */
async function startBerthProcess(upstream: string, dataDir: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['apps/server/dist/cli.js'], {
    env: {
      ...process.env,
      BERTH_PORT: '0',
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: dataDir,
      BERTH_UPSTREAM_URL: upstream,
      BERTH_ADMIN_PASSWORD: 'bench-admin-password',
      BERTH_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Berth console and registry: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`Berth exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function frontDoorBench(opts: { blobMiB: number; runs: number }): Promise<FrontDoorResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const size = opts.blobMiB * MiB;
  const file = path.join(work, 'blob');
  const digest = await writeRandomFile(file, size);
  const directRegistry = await startDistribution();
  const behindRegistry = await startDistribution();
  const berth = await startBerthProcess(behindRegistry.url, path.join(work, 'berth'));
  try {
    const admin = `Basic ${Buffer.from('admin:bench-admin-password').toString('base64')}`;
    const created = await fetch(`${berth.url}/api/v1/repositories`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`create repository: ${created.status}`);
    const tokenRes = await fetch(`${berth.url}/service/token?service=berth&scope=repository:bench/blob:pull,push,delete`, {
      headers: { authorization: admin },
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const direct: Target = { base: directRegistry.url, auth: '' };
    const viaBerth: Target = { base: berth.url, auth: `Bearer ${token}` };

    const baseline = rssMiB(berth.pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(berth.pid));
    }, 20);

    const times = { direct: { push: [] as number[], pull: [] as number[] }, berth: { push: [] as number[], pull: [] as number[] } };
    for (let run = 0; run < opts.runs; run++) {
      // Alternate which side goes first so neither always gets the warmer page cache.
      const order: ['direct' | 'berth', Target][] = run % 2 === 0 ? [['direct', direct], ['berth', viaBerth]] : [['berth', viaBerth], ['direct', direct]];
      for (const [label, t] of order) {
        times[label].push.push(await pushBlob(t, 'bench/blob', file, digest, size));
        times[label].pull.push(await pullBlob(t, 'bench/blob', digest, size));
        if (run < opts.runs - 1) await deleteBlob(t, 'bench/blob', digest);
      }
    }
    clearInterval(sampler);
    const best = (xs: number[]) => Math.min(...xs);
    const mibps = (seconds: number) => Math.round((opts.blobMiB / seconds) * 10) / 10;
    const result: FrontDoorResult = {
      blobMiB: opts.blobMiB,
      runs: opts.runs,
      direct: { pushMiBps: mibps(best(times.direct.push)), pullMiBps: mibps(best(times.direct.pull)) },
      berth: { pushMiBps: mibps(best(times.berth.push)), pullMiBps: mibps(best(times.berth.pull)) },
      ratio: {
        push: Math.round((best(times.direct.push) / best(times.berth.push)) * 100) / 100,
        pull: Math.round((best(times.direct.pull) / best(times.berth.pull)) * 100) / 100,
      },
      berthRssMiB: { baseline: Math.round(baseline), peak: Math.round(peak), growth: Math.round(peak - baseline) },
    };
    return result;
  } finally {
    await berth.stop();
    await directRegistry.stop();
    await behindRegistry.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
