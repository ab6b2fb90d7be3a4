// `BENCH_ONLY=scan`: the scan of one image through the embedded registry. The image is
// generated: about 200 MB of gzip layers holding ~1,000 packages (a dpkg status with 600
// stanzas, 300 npm package.json, 100 PyPI METADATA) among bulk files of half-random,
// half-text data (it compresses about 2:1, as binaries and libraries do; half of them are
// executable, so the Go binary analyzer reads them as it would real binaries). It is pushed to
// the embedded registry (in its worker thread, as Berth runs it), then `scanArtifact` reads
// it over HTTP like any registry: digest checks, gunzip, tar walk and every analyzer Berth
// runs. The inventory is then matched against a generated database of 100,000 advisories.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { MediaType, RegistryClient } from '@berth/oci';
import { startRegistryWorker } from '@berth/registry';
import { AdvisoryDatabase, languageAnalyzers, osAnalyzers, scanArtifact, secretAnalyzer, type OsvRecord } from '@berth/scanner';

export interface ScanBenchResult {
  layers: number;
  compressedMiB: number;
  uncompressedMiB: number;
  packagesPlanted: number;
  packagesFound: number;
  concurrency: number;
  runs: number;
  /** Best run. */
  seconds: number;
  compressedMiBps: number;
  packagesPerSecond: number;
  /** Matching the best run's inventory against a generated database of `records` advisories. */
  matching: { records: number; packages: number; vulnerabilities: number; ms: number; packagesPerSecond: number };
  analyzers: string[];
}

const MiB = 1024 * 1024;
const REPO = 'bench/scan';

/** One file of a generated layer. */
type File = { path: string; body: Buffer };

function dpkgStatus(count: number): File {
  const stanzas: string[] = [];
  for (let i = 0; i < count; i++) {
    stanzas.push(
      [
        `Package: libbench${i}`,
        'Status: install ok installed',
        'Priority: optional',
        'Section: libs',
        `Installed-Size: ${100 + i}`,
        'Maintainer: Bench Maintainers <bench@example.org>',
        'Architecture: amd64',
        `Source: bench-src${Math.floor(i / 3)} (1.${i % 17}.${i % 5}-${1 + (i % 3)})`,
        `Version: 1.${i % 17}.${i % 5}-${1 + (i % 3)}`,
        `Depends: libc6 (>= 2.36), libbench${(i + 1) % count}`,
        `Description: generated library number ${i}`,
        ' A package that exists so the scanner has something to count.',
      ].join('\n'),
    );
  }
  return { path: 'var/lib/dpkg/status', body: Buffer.from(stanzas.join('\n\n') + '\n') };
}

function npmPackages(count: number): File[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `usr/lib/node_modules/bench-${i}/package.json`,
    body: Buffer.from(JSON.stringify({ name: `bench-${i}`, version: `${i % 9}.${i % 13}.${i % 7}`, license: 'MIT', main: 'index.js' }, null, 2)),
  }));
}

function pypiPackages(count: number): File[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `usr/lib/python3/dist-packages/bench_py${i}-1.${i}.0.dist-info/METADATA`,
    body: Buffer.from(`Metadata-Version: 2.1\nName: bench-py${i}\nVersion: 1.${i}.0\nLicense: BSD-3-Clause\nSummary: generated\n\n`),
  }));
}

/** `bytes` of data that gzip shrinks about 2:1: each 64 KiB block is half random bytes, half text. */
function bulk(bytes: number, seed: number): Buffer {
  const block = 64 * 1024;
  const out = Buffer.alloc(bytes);
  const text = Buffer.from(`bench bulk line ${seed}: the quick brown fox jumps over the lazy dog 0123456789\n`.repeat(Math.ceil(block / 2 / 70)));
  for (let at = 0; at < bytes; at += block) {
    randomBytes(block / 2).copy(out, at);
    text.copy(out, at + block / 2, 0, Math.min(block / 2, Math.max(0, bytes - at - block / 2)));
  }
  return out;
}

/** A gzip tar of `files` plus `bulkMiB` of bulk data in 8 MiB files; returns the blob and its tar size. */
async function gzipLayer(files: File[], bulkMiB: number, seed: number): Promise<{ blob: Buffer; tarBytes: number }> {
  const p = pack();
  const gz = createGzip({ level: 1 });
  const parts: Buffer[] = [];
  let tarBytes = 0;
  p.on('data', (c: Buffer) => (tarBytes += c.length));
  p.pipe(gz);
  gz.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  const add = (name: string, body: Buffer, mode = 0o644) => new Promise<void>((resolve, reject) => p.entry({ name, size: body.length, mode }, body, (err) => (err ? reject(err) : resolve())));
  for (const f of files) await add(f.path, f.body);
  // Every other bulk file is executable, as binaries are: the Go analyzer streams those.
  for (let i = 0; i * 8 < bulkMiB; i++) await add(`opt/bench/data-${seed}-${i}`, bulk(Math.min(8, bulkMiB - i * 8) * MiB, seed * 1000 + i), i % 2 ? 0o755 : 0o644);
  p.finalize();
  await done;
  return { blob: Buffer.concat(parts), tarBytes };
}

/**
 * An advisory database of `records` OSV records in the ecosystems the image has: one in
 * twenty concerns a planted package (with a range that catches half of those), the rest
 * other package names, as a real database's bulk does.
 */
function advisories(records: number): AdvisoryDatabase {
  const out: OsvRecord[] = [];
  const planted: [string, string][] = [
    ...Array.from({ length: 200 }, (_, i) => ['Debian:12', `bench-src${i}`] as [string, string]),
    ...Array.from({ length: 300 }, (_, i) => ['npm', `bench-${i}`] as [string, string]),
    ...Array.from({ length: 100 }, (_, i) => ['PyPI', `bench-py${i}`] as [string, string]),
  ];
  for (let i = 0; i < records; i++) {
    const [ecosystem, name] = i % 20 === 0 ? planted[(i / 20) % planted.length]! : [['Debian:12', 'npm', 'PyPI'][i % 3]!, `other-${i}`];
    const fixed = ecosystem === 'Debian:12' ? `1.${i % 17}.${i % 5}-2` : `${1 + (i % 3)}.${i % 10}.0`;
    out.push({
      id: `BENCH-${i}`,
      modified: '2026-11-01T00:00:00Z',
      summary: `generated advisory ${i}`,
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem, name }, ranges: [{ type: ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
    });
  }
  return AdvisoryDatabase.fromRecords(out);
}

/** Generates and pushes the image, then times `runs` scans of it; the best run is reported. */
export async function scanBench(opts: { compressedMiB: number; runs: number; concurrency: number; advisories?: number; log?: (line: string) => void }): Promise<ScanBenchResult> {
  const log = opts.log ?? (() => {});
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-scan-'));
  const registry = await startRegistryWorker({ root });
  try {
    const client = new RegistryClient(registry.url);
    const analyzers = [...osAnalyzers(), ...languageAnalyzers(), secretAnalyzer()];
    // Five layers; bulk sized so the gzip blobs total about compressedMiB (2:1 → twice that raw).
    const bulkPerLayer = Math.max(8, Math.round((opts.compressedMiB * 2) / 5 / 8) * 8);
    const contents: File[][] = [
      [{ path: 'etc/os-release', body: Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n') }, dpkgStatus(600)],
      npmPackages(300),
      pypiPackages(100),
      [],
      [],
    ];
    const started = performance.now();
    const layers = [];
    let uncompressed = 0;
    for (const [i, files] of contents.entries()) {
      const { blob, tarBytes } = await gzipLayer(files, bulkPerLayer, i);
      uncompressed += tarBytes;
      layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await client.pushBlob(REPO, blob), size: blob.length });
    }
    const configBody = new TextEncoder().encode(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } }));
    const config = { mediaType: MediaType.OciConfig, digest: await client.pushBlob(REPO, configBody), size: configBody.length };
    const manifest = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers }));
    const digest = await client.putManifest(REPO, 'v1', manifest, MediaType.OciManifest);
    const compressed = layers.reduce((s, l) => s + l.size, 0);
    log(`  generated and pushed ${layers.length} layers, ${(compressed / MiB).toFixed(0)} MiB gzip (${(uncompressed / MiB).toFixed(0)} MiB tar) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    let best = Infinity;
    let found = 0;
    let inventory = null;
    for (let run = 0; run < opts.runs; run++) {
      const t0 = performance.now();
      const scan = await scanArtifact({ client, name: REPO, digest, analyzers, concurrency: opts.concurrency });
      const seconds = (performance.now() - t0) / 1000;
      inventory = scan.platforms[0]!.inventory;
      found = inventory.packages.length;
      log(`  run ${run + 1}: ${seconds.toFixed(2)} s, ${found} packages`);
      best = Math.min(best, seconds);
    }
    const round = (n: number) => Math.round(n * 10) / 10;
    const records = opts.advisories ?? 100_000;
    const db = advisories(records);
    let matchMs = Infinity;
    let vulnerabilities = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      vulnerabilities = db.match(inventory!).length;
      matchMs = Math.min(matchMs, performance.now() - t0);
    }
    log(`  matched ${found} packages against ${records} advisories: ${vulnerabilities} vulnerabilities in ${matchMs.toFixed(1)} ms`);
    return {
      layers: layers.length,
      compressedMiB: round(compressed / MiB),
      uncompressedMiB: round(uncompressed / MiB),
      packagesPlanted: 1000,
      packagesFound: found,
      concurrency: opts.concurrency,
      runs: opts.runs,
      seconds: Math.round(best * 100) / 100,
      compressedMiBps: round(compressed / MiB / best),
      packagesPerSecond: Math.round(found / best),
      matching: { records, packages: found, vulnerabilities, ms: Math.round(matchMs * 10) / 10, packagesPerSecond: Math.round(found / (matchMs / 1000)) },
      analyzers: analyzers.map((a) => a.name),
    };
  } finally {
    await registry.close(2000);
    fs.rmSync(root, { recursive: true, force: true });
  }
}
