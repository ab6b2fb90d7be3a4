/**
 * `npm run bench`: Berth's shipped benchmarks. Prints a table, writes bench/out/*.json,
 * and exits non-zero when a budget from DESIGN.md is missed.
 *   BENCH_BLOB_MIB (default 256), BENCH_RUNS (default 3)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { frontDoorBench } from './frontdoor.ts';

if (!fs.existsSync('apps/server/dist/cli.js')) {
  const r = spawnSync('npm', ['run', 'build', '-w', '@berth/server', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const blobMiB = Number(process.env.BENCH_BLOB_MIB ?? 256);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const r = await frontDoorBench({ blobMiB, runs });
fs.mkdirSync('bench/out', { recursive: true });
fs.writeFileSync('bench/out/frontdoor.json', JSON.stringify(r, null, 2));

const budgets = [
  { what: 'skopeo push throughput, Berth / direct', value: r.skopeo.ratio.push, ok: r.skopeo.ratio.push >= 0.9, budget: '≥ 0.90' },
  { what: 'skopeo pull throughput, Berth / direct', value: r.skopeo.ratio.pull, ok: r.skopeo.ratio.pull >= 0.9, budget: '≥ 0.90' },
  { what: 'Berth RSS growth while streaming (MiB)', value: r.berthRssMiB.growth, ok: r.berthRssMiB.growth <= 50, budget: '≤ 50' },
];
console.log(`\nFront door, ${blobMiB} MiB blob, best of ${runs} runs`);
for (const [client, f] of [['skopeo copy (image)', r.skopeo], ['raw HTTP (blob)', r.http]] as const) {
  console.log(`  ${client}`);
  console.log(`    direct: push ${f.direct.pushMiBps} MiB/s, pull ${f.direct.pullMiBps} MiB/s`);
  console.log(`    Berth:  push ${f.berth.pushMiBps} MiB/s, pull ${f.berth.pullMiBps} MiB/s  (ratio ${f.ratio.push} / ${f.ratio.pull})`);
}
console.log(`  Berth RSS: ${r.berthRssMiB.baseline} MiB at rest, ${r.berthRssMiB.peak} MiB peak`);
for (const b of budgets) console.log(`  ${b.ok ? 'ok  ' : 'MISS'} ${b.what}: ${b.value} (budget ${b.budget})`);
process.exit(budgets.every((b) => b.ok) ? 0 : 1);
