/**
 * `npm run bench`: Berth's shipped benchmarks. Prints a table, writes bench/out/*.json,
 * and exits non-zero when a budget from DESIGN.md is missed. Knobs (all optional):
 *   BENCH_ONLY               api | frontdoor | registry | scale | console | lifecycle | scan | registries: run that part alone (default: all)
 *   BENCH_CONSOLE_RUNS       page loads per console case in Chromium, after one warm-up (default 10)
 *   BENCH_BLOB_MIB           front-door blob size in MiB (default 256)
 *   BENCH_RUNS               registry and scale runs; the best is reported (default 3)
 *   BENCH_FRONTDOOR_RUNS     front-door runs, new bytes each; the best is reported (default 5)
 *   BENCH_FRONTDOOR_UPSTREAMS what Berth fronts in the front-door bench (default embedded,distribution)
 *   BENCH_FRONTDOOR_STORES   Berth's stores for the front door (default sqlite,postgres)
 *   BENCH_API_STORES         stores for the API bench (default sqlite,postgres)
 *   BENCH_API_REQUESTS       timed requests per API case, after 20 warm-up ones (default 300)
 *   BENCH_MANIFEST_GETS      manifest GETs per setup in the registry bench, after 50 warm-up ones (default 1000)
 *   BENCH_SCALE_MIB          blob per client in the scale-out bench, MiB (default 32)
 *   BENCH_SCALE_CONCURRENCY  clients pushing then pulling at once (default 8)
 *   BENCH_POLICY_TAGS        tags (one artifact each) of the image whose deletion policy is tested (default 100000)
 *   BENCH_LIFECYCLE_RUNS     timed policy tests and bulk deletes, after one warm-up each (default 5)
 *   BENCH_GC_BLOBS           blobs in the embedded registry's storage for garbage collection (default 100000)
 *   BENCH_SCAN_MIB           gzip layers of the scanned image, MiB (default 200)
 *   BENCH_SCAN_CONCURRENCY   layers the scanner reads at once (default 2)
 *   BENCH_REGISTRY_RUNS      timed requests per external-registry case, after one warm-up (default 30, at most 78)
 *   BENCH_BERTH_LOG          Berth's log level, its logs then shown on stderr (default: warn, hidden)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { apiBench, type ApiResult, type StoreKind } from './api.ts';
import { consoleBench } from './console.ts';
import { frontDoorBench, type Upstream } from './frontdoor.ts';
import { lifecycleBench } from './lifecycle.ts';
import { registriesBench } from './registries.ts';
import { registryBench, SETUPS } from './registry.ts';
import { scaleBench } from './scale.ts';
import { scanBench } from './scan.ts';

if (!fs.existsSync('apps/server/dist/cli.js')) {
  const r = spawnSync('npm', ['run', 'build', '-w', '@berth/server', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const only = process.env.BENCH_ONLY;
if (only && !['api', 'frontdoor', 'registry', 'scale', 'console', 'lifecycle', 'scan', 'registries'].includes(only)) {
  console.error(`BENCH_ONLY must be api, frontdoor, registry, scale, console, lifecycle, scan or registries (got ${only})`);
  process.exit(2);
}
const runs = (part: string) => !only || only === part;
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const stores = (name: string): StoreKind[] => {
  const list = (process.env[name] ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`${name}: unknown store ${s}`);
  return list as StoreKind[];
};

interface Budget {
  what: string;
  value: number | string;
  ok: boolean;
  budget: string;
}
const budgets: Budget[] = [];
// Other work on the machine skews every figure: say how busy it was.
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`${os.cpus().length} CPUs, load average ${load()} at start`);
fs.mkdirSync('bench/out', { recursive: true });
const save = (file: string, data: unknown) => fs.writeFileSync(`bench/out/${file}`, JSON.stringify(data, null, 2));
const pad = (s: string | number, n: number) => String(s).padStart(n);

if (runs('api')) {
  const requests = num('BENCH_API_REQUESTS', 300);
  const results: ApiResult[] = [];
  console.log(`\nAPI at 10,000 images / 100,000 tags / 1,000,000 pull events, ${requests} requests per case, one at a time`);
  for (const store of stores('BENCH_API_STORES')) {
    const r = await apiBench({ store, requests, log: (line) => console.log(line) });
    results.push(r);
    console.log(`  ${store}                                        p50 ms   p95 ms   p99 ms   max ms`);
    for (const c of r.cases) {
      console.log(`    ${c.name.padEnd(42)} ${pad(c.p50, 6)}   ${pad(c.p95, 6)}   ${pad(c.p99, 6)}   ${pad(c.max, 6)}`);
      budgets.push({ what: `API p95, ${store}, ${c.name} (ms)`, value: c.p95, ok: c.p95 <= 50, budget: '≤ 50' });
    }
  }
  save('api.json', results);
}

if (runs('lifecycle')) {
  const tags = num('BENCH_POLICY_TAGS', 100_000);
  const r = await lifecycleBench({ tags, runs: num('BENCH_LIFECYCLE_RUNS', 5), blobs: num('BENCH_GC_BLOBS', 100_000) });
  save('lifecycle.json', r);
  const p = r.policyTest;
  console.log(`\nImage lifecycle`);
  console.log(`  policy test, ${p.tags} tags through the API: p50 ${p.p50Ms} ms, max ${p.maxMs} ms (${p.deletes} to delete, ${p.keeps} kept, ${p.responseMiB} MiB of JSON), ${p.runs} runs`);
  console.log(`  bulk delete of ${r.bulkDelete.tags} tags, embedded registry: p50 ${r.bulkDelete.p50Ms} ms, max ${r.bulkDelete.maxMs} ms, ${r.bulkDelete.runs} runs`);
  const g = r.gc;
  console.log(`  garbage collection over ${g.blobs} blobs (${g.referenced} in ${g.manifests} manifests): ${g.seconds} s, ${g.blobsPerSecond} blobs/s, freed ${g.freedBlobs} blobs, ${g.freedMiB} MiB at ${g.mibPerSecond} MiB/s`);
  budgets.push(
    { what: `deletion-policy test on ${p.tags} tags, p50 (ms)`, value: p.p50Ms, ok: p.p50Ms <= 1000, budget: '≤ 1000' },
    { what: 'bulk delete of 50 tags on the embedded registry, p50 (ms)', value: r.bulkDelete.p50Ms, ok: r.bulkDelete.p50Ms <= 2000, budget: '≤ 2000' },
  );
}

if (runs('frontdoor')) {
  const blobMiB = num('BENCH_BLOB_MIB', 256);
  const n = num('BENCH_FRONTDOOR_RUNS', 5);
  const upstreams = (process.env.BENCH_FRONTDOOR_UPSTREAMS ?? 'embedded,distribution').split(',').map((s) => s.trim()).filter(Boolean);
  for (const u of upstreams) if (u !== 'embedded' && u !== 'distribution') throw new Error(`BENCH_FRONTDOOR_UPSTREAMS: unknown upstream ${u}`);
  for (const upstream of upstreams as Upstream[]) {
    for (const store of stores('BENCH_FRONTDOOR_STORES')) {
      const r = await frontDoorBench({ blobMiB, runs: n, upstream, store });
      save(`frontdoor-${upstream}-${store}.json`, r);
      const setup = `Berth on ${upstream} + ${store}`;
      console.log(`\nFront door, ${setup} vs ${upstream} alone, ${blobMiB} MiB, best of ${n} runs (load average ${load()})`);
      for (const [client, f] of [['skopeo copy (image)', r.skopeo], ['raw HTTP (blob)', r.http]] as const) {
        console.log(`  ${client}`);
        console.log(`    direct: push ${f.direct.pushMiBps} MiB/s, pull ${f.direct.pullMiBps} MiB/s`);
        console.log(`    Berth:  push ${f.berth.pushMiBps} MiB/s, pull ${f.berth.pullMiBps} MiB/s  (ratio ${f.ratio.push} / ${f.ratio.pull})`);
      }
      console.log(`  Berth RSS: ${r.berthRssMiB.baseline} MiB at rest, ${r.berthRssMiB.peak} MiB peak`);
      const cpu = r.skopeoPushCpu;
      console.log(`  CPU per skopeo push (median, whole machine): direct ${cpu.direct} s, through Berth ${cpu.berth} s, of which Berth's process ${cpu.berthProcess} s`);
      budgets.push(
        { what: `skopeo push throughput, ${setup} / direct`, value: r.skopeo.ratio.push, ok: r.skopeo.ratio.push >= 0.9, budget: '≥ 0.90' },
        { what: `skopeo pull throughput, ${setup} / direct`, value: r.skopeo.ratio.pull, ok: r.skopeo.ratio.pull >= 0.9, budget: '≥ 0.90' },
        { what: `${setup}: RSS growth while streaming (MiB)`, value: r.berthRssMiB.growth, ok: r.berthRssMiB.growth <= 50, budget: '≤ 50' },
      );
    }
  }
}

if (runs('registry')) {
  const blobMiB = num('BENCH_BLOB_MIB', 256);
  const n = num('BENCH_RUNS', 3);
  const gets = num('BENCH_MANIFEST_GETS', 1000);
  const r = await registryBench({ blobMiB, runs: n, manifestGets: gets });
  save('registry.json', r);
  console.log(`\nEmbedded registry vs distribution: ${blobMiB} MiB blob over raw HTTP, best of ${n} runs; ${gets} manifest GETs (tag and digest alternately) on one connection`);
  console.log(`  setup                 push MiB/s   pull MiB/s   manifest p50 ms   p99 ms`);
  for (const s of SETUPS) {
    const f = r.setups[s];
    console.log(`  ${s.padEnd(20)}  ${pad(f.pushMiBps, 10)}   ${pad(f.pullMiBps, 10)}   ${pad(f.manifestP50Ms, 15)}   ${pad(f.manifestP99Ms, 6)}`);
  }
  for (const [label, e, d] of [
    ['direct', r.setups.embedded, r.setups.distribution],
    ['behind Berth', r.setups['berth+embedded'], r.setups['berth+distribution']],
  ] as const) {
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    // Throughput: embedded / distribution; latency: distribution / embedded. Both ≥ 1 when embedded is at least as good.
    budgets.push(
      { what: `embedded / distribution push throughput, ${label}`, value: ratio(e.pushMiBps, d.pushMiBps), ok: e.pushMiBps >= d.pushMiBps, budget: '≥ 1.00' },
      { what: `embedded / distribution pull throughput, ${label}`, value: ratio(e.pullMiBps, d.pullMiBps), ok: e.pullMiBps >= d.pullMiBps, budget: '≥ 1.00' },
      { what: `distribution / embedded manifest GET p50, ${label}`, value: ratio(d.manifestP50Ms, e.manifestP50Ms), ok: e.manifestP50Ms <= d.manifestP50Ms, budget: '≥ 1.00' },
      { what: `distribution / embedded manifest GET p99, ${label}`, value: ratio(d.manifestP99Ms, e.manifestP99Ms), ok: e.manifestP99Ms <= d.manifestP99Ms, budget: '≥ 1.00' },
    );
  }
}

if (runs('scale')) {
  const blobMiB = num('BENCH_SCALE_MIB', 32);
  const concurrency = num('BENCH_SCALE_CONCURRENCY', 8);
  const n = num('BENCH_RUNS', 3);
  const r = await scaleBench({ blobMiB, concurrency, runs: n });
  save('scale.json', r);
  console.log(`\nScale-out, ${concurrency} clients × ${blobMiB} MiB blob (push all, then pull all), best of ${n} runs; Berth on PostgreSQL`);
  console.log(`  straight to distribution:       push ${r.direct.pushMiBps} MiB/s, pull ${r.direct.pullMiBps} MiB/s`);
  console.log(`  one Berth behind the balancer:  push ${r.oneInstance.pushMiBps} MiB/s, pull ${r.oneInstance.pullMiBps} MiB/s`);
  console.log(`  two Berths behind the balancer: push ${r.twoInstances.pushMiBps} MiB/s, pull ${r.twoInstances.pullMiBps} MiB/s  (×${r.ratio.push} / ×${r.ratio.pull})`);
  console.log('  (no budget: reported only)');
}

if (runs('scan')) {
  const n = num('BENCH_RUNS', 3);
  console.log(`\nImage scan through the embedded registry, best of ${n} runs`);
  const r = await scanBench({ compressedMiB: num('BENCH_SCAN_MIB', 200), runs: n, concurrency: num('BENCH_SCAN_CONCURRENCY', 2), log: (line) => console.log(line) });
  save('scan.json', r);
  console.log(`  ${r.layers} gzip layers, ${r.compressedMiB} MiB (${r.uncompressedMiB} MiB of tar), ${r.concurrency} at once: ${r.seconds} s`);
  console.log(`  ${r.compressedMiBps} MiB/s of compressed layers; ${r.packagesFound} of ${r.packagesPlanted} planted packages inventoried, ${r.packagesPerSecond} packages/s`);
  console.log(`  matched against ${r.matching.records} advisories: ${r.matching.vulnerabilities} vulnerabilities in ${r.matching.ms} ms, ${r.matching.packagesPerSecond} packages matched/s`);
  console.log(`  analyzers: ${r.analyzers.join(', ')}`);
  budgets.push({ what: 'image scan throughput, compressed layers (MiB/s)', value: r.compressedMiBps, ok: r.compressedMiBps >= 100, budget: '≥ 100' });
}

if (runs('registries')) {
  const n = num('BENCH_REGISTRY_RUNS', 30);
  console.log(`\nExternal registry (distribution, Basic auth, 5,000 names + big/app with 2,000 tags) behind a counting proxy, ${n} runs per case after one warm-up`);
  const r = await registriesBench({ runs: n, log: (line) => console.log(line) });
  save('registries.json', r);
  const up = (u: { total: number; ping: number; catalog: number; tagsList: number; manifests: number }) =>
    `${u.total} (${u.ping} /v2/, ${u.catalog} catalog, ${u.tagsList} tags list, ${u.manifests} manifests)`;
  console.log('                                                   p50 ms   p95 ms   max ms   upstream requests per request');
  for (const [name, c] of [
    ['POST /registries/test (whole catalog)', r.connectionTest],
    ['repositories?limit=50, cold (new registry entry)', r.repositoriesCold],
    ['repositories?limit=50, warm (catalog cached)', r.repositoriesWarm],
    ['repositories/r00/images?limit=50, warm', r.imagesWarm],
    ['big/app tags?limit=25, cold (unread page)', r.tagsCold],
    ['big/app tags?limit=25, warm (same page)', r.tagsWarm],
  ] as const) {
    console.log(`  ${name.padEnd(48)} ${pad(c.p50, 6)}   ${pad(c.p95, 6)}   ${pad(c.max, 6)}   ${up(c.upstream)}`);
  }
  console.log(`  cold tags pages read: ${r.tagsCold.pages.join(', ')} of 80; most upstream requests for one: ${r.tagsCold.upstreamMax}`);
  const d = r.direct;
  console.log('  the registry alone (the same requests straight to it, no Berth, no proxy):');
  for (const [name, t] of [
    [`catalog walk, ${d.catalogWalk.pages} pages of 1,000`, d.catalogWalk],
    ['big/app tags/list (all 2,000 tags)', d.tagsList],
    ['25 manifests of big/app, 4 at once', d.pageManifests],
  ] as const) {
    console.log(`    ${name.padEnd(46)} ${pad(t.p50, 6)}   ${pad(t.p95, 6)}   ${pad(t.max, 6)}`);
  }
  budgets.push(
    { what: 'external registry, repositories page warm, p95 (ms)', value: r.repositoriesWarm.p95, ok: r.repositoriesWarm.p95 <= 50, budget: '≤ 50' },
    { what: 'external registry, images page warm, p95 (ms)', value: r.imagesWarm.p95, ok: r.imagesWarm.p95 <= 50, budget: '≤ 50' },
    { what: 'external registry, tags page warm, p95 (ms)', value: r.tagsWarm.p95, ok: r.tagsWarm.p95 <= 50, budget: '≤ 50' },
    { what: 'external registry, upstream requests for one tags page of 25 (most of any cold run)', value: r.tagsCold.upstreamMax, ok: r.tagsCold.upstreamMax <= 30, budget: '≤ 30' },
  );
}

if (runs('console')) {
  if (!fs.existsSync('apps/console/dist/index.html')) {
    const r = spawnSync('npm', ['run', 'build', '-w', '@berth/console', '--silent'], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
  const n = num('BENCH_CONSOLE_RUNS', 10);
  console.log(`\nConsole: initial JS, and in Chromium ${n} page loads per case (after one warm-up), Berth on SQLite at 10,000 images / 100,000 tags`);
  const r = await consoleBench({ runs: n, log: (line) => console.log(line) });
  save('console.json', r);
  console.log(`  initial JS (entry, boot and their ${r.bundle.files.length - 2} static imports), gzip -9: ${(r.bundle.gzipBytes / 1024).toFixed(1)} KB`);
  console.log(`  Chromium ${r.chromium}                                   painted p50/max ms    live p50/max ms   /api/ requests (max)`);
  for (const p of r.pages) {
    console.log(`    ${p.name.padEnd(42)} ${pad(p.paintP50, 7)} / ${pad(p.paintMax, 5)}   ${pad(p.liveP50, 7)} / ${pad(p.liveMax, 5)}   ${pad(p.maxRequests, 6)}`);
    for (const req of p.requests) console.log(`      ${req}`);
    budgets.push(
      { what: `console, ${p.name}: painted (navigation start to the first row's paint, Element Timing), max ms`, value: p.paintMax, ok: p.paintMax <= 500, budget: '≤ 500' },
      { what: `console, ${p.name}: /api/ requests until live`, value: p.maxRequests, ok: p.maxRequests <= 3, budget: '≤ 3' },
    );
  }
  const kb = Math.round((r.bundle.gzipBytes / 1024) * 10) / 10;
  budgets.push({ what: 'console initial JS, gzip (KB)', value: kb, ok: kb <= 200, budget: '≤ 200' });
}

console.log(`\nLoad average ${load()} at the end`);
for (const b of budgets) console.log(`  ${b.ok ? 'ok  ' : 'MISS'} ${b.what}: ${b.value} (budget ${b.budget})`);
process.exit(budgets.every((b) => b.ok) ? 0 : 1);
