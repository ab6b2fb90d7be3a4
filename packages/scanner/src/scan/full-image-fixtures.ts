// Builders for the end-to-end image test (only full-image.test.ts imports this): image layers
// written as real compressed tar files on disk (large files streamed in from this machine),
// a jar made by the JDK's `jar` tool, an rpm database made by rpmbuild and rpm, and version
// arithmetic checked by the distributions' own tools.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { tarHeader, tarPadding, TAR_END } from '@berth/testkit';
import type { LayerDescriptor } from './scan-image.ts';

/** One entry of a layer: bytes, a file of this machine (streamed, never held), a directory or a symlink. */
export type LayerEntry = { content: string | Buffer; mode?: number } | { fromFile: string; mode?: number } | { directory: true } | { symlink: string };

/** A layer written to disk, as a manifest would describe it. */
export interface LayerBlob extends LayerDescriptor {
  /** Where the compressed blob is. */
  file: string;
}

export const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const ZSTD_LAYER = 'application/vnd.oci.image.layer.v1.tar+zstd';

/** The tar stream of `entries`, in the order given; a file's bytes are read from disk as they are written. */
async function* tarStream(entries: [string, LayerEntry][]): AsyncGenerator<Buffer> {
  for (const [name, entry] of entries) {
    if ('directory' in entry) {
      yield tarHeader(name, 'directory', 0, 0o755);
    } else if ('symlink' in entry) {
      yield tarHeader(name, 'symlink', 0, 0o777, entry.symlink);
    } else if ('content' in entry) {
      const data = Buffer.from(entry.content);
      yield Buffer.concat([tarHeader(name, 'file', data.length, entry.mode ?? 0o644), data, tarPadding(data.length)]);
    } else {
      const size = fs.statSync(entry.fromFile).size;
      yield tarHeader(name, 'file', size, entry.mode ?? 0o644);
      let written = 0;
      for await (const chunk of fs.createReadStream(entry.fromFile, { highWaterMark: 256 * 1024 })) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (written !== size) throw new Error(`${entry.fromFile} changed while it was read`);
      yield tarPadding(size);
    }
  }
  yield TAR_END;
}

/** sha256 of a file, read as a stream. */
async function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Writes a layer blob to `dir/name`: the entries as a tar stream, compressed with zlib's gzip
 * or the `zstd` command line tool (fzstd, which the scanner reads with, only decompresses).
 */
export async function writeLayer(dir: string, name: string, entries: [string, LayerEntry][], compression: 'gzip' | 'zstd'): Promise<LayerBlob> {
  const file = path.join(dir, name);
  const out = fs.createWriteStream(file);
  if (compression === 'gzip') {
    await pipeline(Readable.from(tarStream(entries)), createGzip(), out);
  } else {
    const zstd = spawn('zstd', ['-q', '-c', '-3'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve, reject) => {
      zstd.once('error', reject);
      zstd.once('close', resolve);
    });
    await Promise.all([pipeline(Readable.from(tarStream(entries)), zstd.stdin), pipeline(zstd.stdout, out)]);
    const code = await exited;
    if (code !== 0) throw new Error(`zstd exited with ${code}`);
  }
  return { file, digest: await fileDigest(file), mediaType: compression === 'gzip' ? GZIP_LAYER : ZSTD_LAYER, size: fs.statSync(file).size };
}

/** Directory entries for every parent of the given paths, so that a layer reads like one `docker build` writes. */
export function withParents(entries: [string, LayerEntry][]): [string, LayerEntry][] {
  const dirs = new Set<string>();
  for (const [p] of entries) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const out: [string, LayerEntry][] = [...dirs].filter((d) => !entries.some(([p]) => p === d)).map((d) => [d, { directory: true }]);
  return [...out, ...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Maven coordinates a jar's `META-INF/maven/<g>/<a>/pom.properties` carries. */
export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

/** A jar made by the JDK's `jar` tool, with a pom.properties per artifact (as maven-archiver writes it) and a class-less payload. */
export function buildJar(dir: string, name: string, artifacts: MavenCoordinates[]): Buffer {
  const root = fs.mkdtempSync(path.join(dir, 'jar-'));
  for (const a of artifacts) {
    const meta = path.join(root, 'META-INF', 'maven', a.groupId, a.artifactId);
    fs.mkdirSync(meta, { recursive: true });
    fs.writeFileSync(path.join(meta, 'pom.properties'), `#Created by Apache Maven 3.8.1\nartifactId=${a.artifactId}\ngroupId=${a.groupId}\nversion=${a.version}\n`);
    fs.writeFileSync(path.join(meta, 'pom.xml'), `<project><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></project>\n`);
  }
  fs.mkdirSync(path.join(root, 'org', 'example'), { recursive: true });
  fs.writeFileSync(path.join(root, 'org', 'example', 'readme.txt'), 'payload\n');
  const jar = path.join(dir, name);
  execFileSync('jar', ['--create', '--file', jar, '-C', root, '.'], { stdio: 'ignore' });
  return fs.readFileSync(jar);
}

/** An rpm spec with the fields the scanner reads; `subpackages` are `%package` names (`libs` → `<name>-libs`). */
export interface RpmSpec {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  license: string;
  subpackages?: string[];
}

function specText(s: RpmSpec): string {
  const head = [`Name: ${s.name}`, ...(s.epoch ? [`Epoch: ${s.epoch}`] : []), `Version: ${s.version}`, `Release: ${s.release}`, `Summary: ${s.name}`, `License: ${s.license}`];
  const subs = (s.subpackages ?? []).flatMap((p) => [`%package ${p}`, `Summary: ${s.name}-${p}`, `%description ${p}`, `${s.name}-${p}.`, `%files ${p}`]);
  return [...head, '%description', `${s.name}.`, '%files', ...subs, ''].join('\n');
}

/** rpm with a private SQLite database under `dir/db` (rpm ≥ 4.16's format, as AlmaLinux 9 and Rocky 9 ship). */
export function rpmCommand(dir: string, ...args: string[]): string {
  return execFileSync('rpm', ['--define', '_db_backend sqlite', '--dbpath', path.join(dir, 'db'), ...args], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
}

/**
 * Builds x86_64 packages from `specs` with rpmbuild and records them with `rpm -i --justdb`
 * in a fresh SQLite database; returns every file rpm left in the database directory
 * (`rpmdb.sqlite` and its `-wal`, `-shm` and lock files, as an image's `var/lib/rpm` holds them) by name.
 */
export function buildRpmDatabase(dir: string, specs: RpmSpec[]): Map<string, Buffer> {
  for (const s of specs) {
    const spec = path.join(dir, `${s.name}.spec`);
    fs.writeFileSync(spec, specText(s));
    execFileSync('rpmbuild', ['-bb', '--target', 'x86_64', '--define', `_topdir ${dir}/top`, spec], { stdio: 'ignore' });
  }
  const rpms = execFileSync('find', [path.join(dir, 'top/RPMS'), '-name', '*.rpm']).toString('utf8').trim().split('\n');
  fs.mkdirSync(path.join(dir, 'db'));
  rpmCommand(dir, '--initdb');
  rpmCommand(dir, '-i', '--justdb', '--nodeps', '--noscripts', ...rpms);
  const db = path.join(dir, 'db');
  return new Map(fs.readdirSync(db).map((name) => [name, fs.readFileSync(path.join(db, name))]));
}

/** `version` with its last number changed by `delta` (`2.36-9+deb12u14`, +1 → `2.36-9+deb12u15`). */
export function bumpLastNumber(version: string, delta: number): string {
  const m = /^(.*?)(\d+)(\D*)$/.exec(version);
  if (!m) throw new Error(`no number in ${version}`);
  const n = Number(m[2]) + delta;
  if (n < 0) throw new Error(`cannot lower ${version} by ${-delta}`);
  return `${m[1]}${n}${m[3]}`;
}

/** dpkg's own verdict: is `a` lower than `b`? */
export function dpkgLower(a: string, b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, 'lt', b], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
