// `BENCH_ONLY=scan`: the scan of one image through the embedded registry. The image is
// generated: about 200 MB of gzip layers holding ~1,000 packages (a dpkg status with 600
// stanzas, 300 npm package.json, 100 PyPI METADATA) among bulk files of half-random,
// half-text data (it compresses about 2:1, as binaries and libraries do; half of them are
// executable, so the Go binary analyzer reads them as it would real binaries). It is pushed to
// the embedded registry (in its worker thread, as Berth runs it), then `scanArtifact` reads
// it over HTTP like any registry: digest checks, gunzip, tar walk and the analyzers.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { MediaType, RegistryClient } from '@berth/oci';
import { startRegistryWorker } from '@berth/registry';
import { scanArtifact } from '../packages/scanner/src/scan/index.ts';
import type { FileAnalyzer, FileFindings, FileInfo } from '../packages/scanner/src/types.ts';

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
  /** Which analyzers ran: the team's, or the bench's stand-ins where those were not written yet. */
  analyzers: string[];
  standIns: string[];
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

// Stand-ins for analyzers not written yet: just enough parsing to find the planted packages.
const pkg = (f: FileInfo, type: 'dpkg' | 'npm' | 'pypi', name: string, version: string) => ({ type, name, version, path: f.path, layer: f.layer, purl: `pkg:${type}/${name}@${version}`, licenses: [] });
const STAND_INS: Record<string, FileAnalyzer[]> = {
  os: [
    {
      name: 'os-release',
      wants: (f) => f.path === 'etc/os-release' || f.path === 'usr/lib/os-release',
      analyze: (_f, c): FileFindings => ({ os: { id: /^ID=(.*)$/m.exec(c.toString())?.[1] ?? '', versionId: /^VERSION_ID="?([^"\n]*)/m.exec(c.toString())?.[1] ?? null, prettyName: null, ecosystem: null } }),
    },
    {
      name: 'dpkg',
      wants: (f) => f.path === 'var/lib/dpkg/status',
      analyze: (f, c): FileFindings => ({
        packages: c
          .toString()
          .split('\n\n')
          .map((s) => [/^Package: (.*)$/m.exec(s)?.[1], /^Version: (.*)$/m.exec(s)?.[1]] as const)
          .filter((x): x is readonly [string, string] => !!x[0] && !!x[1])
          .map(([n, v]) => pkg(f, 'dpkg', n, v)),
      }),
    },
  ],
  lang: [
    {
      name: 'npm',
      wants: (f) => f.path.endsWith('/package.json') && f.path.includes('node_modules/'),
      analyze: (f, c): FileFindings => {
        const j = JSON.parse(c.toString()) as { name: string; version: string };
        return { packages: [pkg(f, 'npm', j.name, j.version)] };
      },
    },
    {
      name: 'pypi',
      wants: (f) => f.path.endsWith('.dist-info/METADATA'),
      analyze: (f, c): FileFindings => ({ packages: [pkg(f, 'pypi', /^Name: (.*)$/m.exec(c.toString())![1]!, /^Version: (.*)$/m.exec(c.toString())![1]!)] }),
    },
  ],
  secrets: [],
};

/** The team's analyzers where their modules exist, else the stand-ins above. */
async function loadAnalyzers(): Promise<{ analyzers: FileAnalyzer[]; standIns: string[] }> {
  const parts: [string, string, string][] = [
    ['os', 'analyzers/os/index.ts', 'osAnalyzers'],
    ['lang', 'analyzers/lang/index.ts', 'languageAnalyzers'],
    ['secrets', 'secrets/index.ts', 'secretAnalyzer'],
  ];
  const analyzers: FileAnalyzer[] = [];
  const standIns: string[] = [];
  for (const [part, file, fn] of parts) {
    const url = new URL(`../packages/scanner/src/${file}`, import.meta.url);
    if (fs.existsSync(url)) {
      const mod = (await import(url.href)) as Record<string, () => FileAnalyzer | FileAnalyzer[]>;
      analyzers.push(...[mod[fn]!()].flat());
    } else {
      standIns.push(part);
      analyzers.push(...STAND_INS[part]!);
    }
  }
  return { analyzers, standIns };
}

/** Generates and pushes the image, then times `runs` scans of it; the best run is reported. */
export async function scanBench(opts: { compressedMiB: number; runs: number; concurrency: number; log?: (line: string) => void }): Promise<ScanBenchResult> {
  const log = opts.log ?? (() => {});
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-scan-'));
  const registry = await startRegistryWorker({ root });
  try {
    const client = new RegistryClient(registry.url);
    const { analyzers, standIns } = await loadAnalyzers();
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
    for (let run = 0; run < opts.runs; run++) {
      const t0 = performance.now();
      const scan = await scanArtifact({ client, name: REPO, digest, analyzers, concurrency: opts.concurrency });
      const seconds = (performance.now() - t0) / 1000;
      found = scan.platforms[0]!.inventory.packages.length;
      log(`  run ${run + 1}: ${seconds.toFixed(2)} s, ${found} packages`);
      best = Math.min(best, seconds);
    }
    const round = (n: number) => Math.round(n * 10) / 10;
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
      analyzers: analyzers.map((a) => a.name),
      standIns,
    };
  } finally {
    await registry.close(2000);
    fs.rmSync(root, { recursive: true, force: true });
  }
}
