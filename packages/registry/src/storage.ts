import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  digestLike,
  ManifestError,
  OciError,
  parseDigest,
  parseManifest,
  sha256Digest,
  type Descriptor,
  type Digest,
  type ParsedManifest,
  type Reference,
} from '@berth/oci';
import { TAG_PATTERN } from '@berth/api';
import type { RecyclingBody } from './port-exchange.ts';
import { appendStream, CommitLock, exists, fsyncDir, isCode, KeyedQueue, listDir, readIfExists, removeFile, storageFault, writeAtomic } from './fsutil.ts';

/** Bytes of manifest bodies kept in memory, by digest (they never change). */
const MANIFEST_CACHE_BYTES = 32 * 1024 * 1024;

export interface StoredManifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

export interface BlobInfo {
  digest: string;
  size: number;
  file: string;
}

/** An upload session's offset was not where the client said it would be. */
export class RangeMismatch extends Error {
  constructor(readonly size: number) {
    super(`the upload is at ${size} bytes`);
  }
}

/** Layers whose bytes live elsewhere (Windows base layers): a manifest may name them without their blob. */
const FOREIGN_LAYER = /(foreign|nondistributable)/;

const HASH_NODE: Record<string, string> = { sha256: 'sha256', sha512: 'sha512' };

/**
 * The embedded registry's filesystem storage. Layout under `root`:
 *
 *   blobs/<alg>/<hh>/<hex>                           content, written once, renamed into place
 *   uploads/<id>/data, uploads/<id>/name             an upload session and its repository
 *   repositories/<name>/_layers/<alg>/<hex>          the repository may read this blob
 *   repositories/<name>/_manifests/revisions/<alg>/<hex>   a manifest of the repository (holds its media type)
 *   repositories/<name>/_manifests/tags/<tag>        the digest the tag points at
 *   repositories/<name>/_referrers/<alg>/<subject-hex>/<alg>-<hex>   a descriptor of a manifest whose subject it is
 *   tmp/                                             temp files, renamed into place (removed at start)
 *
 * Name components start with a letter or digit, so `_layers` and friends never clash with
 * a nested repository. Every file is written whole (temp file, fsync, rename), links only
 * after the content they point at, so a crash never exposes a partial blob or a manifest
 * whose blobs are missing.
 */
export class RegistryStorage {
  readonly blobsDir: string;
  readonly uploadsDir: string;
  readonly reposDir: string;
  readonly tmpDir: string;
  /** Commits share it; garbage collection takes it alone. */
  readonly lock = new CommitLock();
  private readonly uploadQueue = new KeyedQueue();
  /** Running sha256 of upload sessions, valid while `offset` equals the data file's size. */
  private readonly hashes = new Map<string, { hash: Hash; offset: number }>();
  private readonly cache = new Map<string, Buffer>();
  private cacheBytes = 0;
  private readonly cacheLimit = MANIFEST_CACHE_BYTES;

  constructor(readonly root: string) {
    this.blobsDir = path.join(root, 'blobs');
    this.uploadsDir = path.join(root, 'uploads');
    this.reposDir = path.join(root, 'repositories');
    this.tmpDir = path.join(root, 'tmp');
  }

  /** Creates the layout and removes temp files a crash left behind. */
  async init(): Promise<void> {
    try {
      await fs.rm(this.tmpDir, { recursive: true, force: true });
      for (const dir of [this.blobsDir, this.uploadsDir, this.reposDir, this.tmpDir]) await fs.mkdir(dir, { recursive: true });
    } catch (err) {
      // A recursive mkdir on a read-only disk says ENOENT: say what is wrong, and where.
      const reason = await fs.access(this.root, fs.constants.W_OK).then(
        () => null,
        (access: unknown) => (isCode(access, 'EROFS') ? 'its disk is read-only (EROFS)' : isCode(access, 'EACCES', 'EPERM') ? 'no write permission on it' : null),
      );
      if (reason) throw new Error(`the registry storage ${this.root} cannot be written: ${reason}`, { cause: err });
      throw err;
    }
  }

  // ---- paths ----

  blobPath(d: Digest): string {
    return path.join(this.blobsDir, d.algorithm, d.hex.slice(0, 2), d.hex);
  }

  /**
   * A repository's directory. The HTTP layer admits only names of the OCI grammar; this
   * refuses, whoever calls, a name that could leave `repositories/` or land on a link
   * directory (empty, `.`, `..`, `_…` components, backslashes, NUL).
   */
  repoDir(name: string): string {
    const parts = name.split('/');
    if (parts.some((c) => c === '' || c === '.' || c === '..' || c.startsWith('_') || /[\\\0]/.test(c))) {
      throw new OciError('NAME_INVALID', 'invalid repository name', { name });
    }
    return path.join(this.reposDir, ...parts);
  }

  private layerLink(name: string, d: Digest): string {
    return path.join(this.repoDir(name), '_layers', d.algorithm, d.hex);
  }

  private revisionLink(name: string, d: Digest): string {
    return path.join(this.repoDir(name), '_manifests', 'revisions', d.algorithm, d.hex);
  }

  private tagFile(name: string, tag: string): string {
    if (!TAG_PATTERN.test(tag)) throw new OciError('MANIFEST_INVALID', 'invalid tag', { tag });
    return path.join(this.repoDir(name), '_manifests', 'tags', tag);
  }

  private referrersDir(name: string, subject: Digest): string {
    return path.join(this.repoDir(name), '_referrers', subject.algorithm, subject.hex);
  }

  // ---- blobs ----

  /** The blob if the repository may read it (uploaded or mounted there, or one of its manifests). */
  async blob(name: string, digest: string): Promise<BlobInfo | null> {
    const d = mustDigest(digest);
    if (!(await exists(this.layerLink(name, d))) && !(await exists(this.revisionLink(name, d)))) return null;
    const file = this.blobPath(d);
    try {
      const st = await fs.stat(file);
      return { digest, size: st.size, file };
    } catch (err) {
      if (isCode(err, 'ENOENT')) return null;
      throw err;
    }
  }

  /** Lets `name` read a blob `from` holds: a cross-repository mount. False when `from` lacks it. */
  async mount(name: string, from: string, digest: string): Promise<boolean> {
    return this.lock.shared(async () => {
      if (!(await this.blob(from, digest))) return false;
      await this.link(name, mustDigest(digest));
      return true;
    });
  }

  /** Removes the repository's link to a blob; the bytes go at the next garbage collection. */
  async deleteBlob(name: string, digest: string): Promise<void> {
    const d = mustDigest(digest);
    const removed = await this.lock.shared(() => removeFile(this.layerLink(name, d)));
    if (!removed) throw new OciError('BLOB_UNKNOWN', 'blob unknown to registry', { digest });
  }

  private async link(name: string, d: Digest): Promise<void> {
    const file = this.layerLink(name, d);
    if (await exists(file)) {
      // Refresh its age: garbage collection keeps young links whatever refers to them.
      const now = new Date();
      await fs.utimes(file, now, now);
      return;
    }
    await writeAtomic(this.tmpDir, file, '');
  }

  // ---- uploads ----

  async startUpload(name: string): Promise<string> {
    const id = randomUUID();
    const dir = path.join(this.uploadsDir, id);
    await fs.mkdir(dir);
    try {
      await fs.writeFile(path.join(dir, 'name'), name);
      await fs.writeFile(path.join(dir, 'data'), '');
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true });
      throw err;
    }
    this.hashes.set(id, { hash: createHash('sha256'), offset: 0 });
    return id;
  }

  /** Bytes received so far; null when the session does not exist (or belongs to another repository). */
  async uploadSize(name: string, id: string): Promise<number | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const dir = path.join(this.uploadsDir, id);
    if ((await readIfExists(path.join(dir, 'name'))) !== name) return null;
    try {
      return (await fs.stat(path.join(dir, 'data'))).size;
    } catch (err) {
      if (isCode(err, 'ENOENT')) return null;
      throw err;
    }
  }

  /**
   * Appends a request body to an upload session. `start`, from `Content-Range`, must be the
   * current size. A dropped connection keeps what reached the disk; the client asks for the
   * offset and resumes from there.
   */
  async appendUpload(name: string, id: string, body: Readable, start?: number): Promise<number> {
    return this.uploadQueue.run(id, () => this.append(name, id, body, start));
  }

  private async append(name: string, id: string, body: Readable, start?: number): Promise<number> {
    const size = await this.uploadSize(name, id);
    if (size === null) throw new OciError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });
    if (start !== undefined && start !== size) throw new RangeMismatch(size);
    let state = this.hashes.get(id);
    if (state && state.offset !== size) state = undefined;
    if (!state && size === 0) state = { hash: createHash('sha256'), offset: 0 };
    this.hashes.delete(id);
    let written = 0;
    const hash = state?.hash;
    // A body carried from Berth's thread lends its memory: each chunk goes back once on disk.
    const recycle = (body as Readable & Partial<RecyclingBody>).recycle?.bind(body) ?? (() => undefined);
    const out = appendStream(path.join(this.uploadsDir, id, 'data'), recycle);
    // A Transform in flowing mode hands each chunk on as it came off the socket; an async
    // iterator would read() and so concatenate whatever had buffered, copying every byte
    // once more (it measured as a seventh of the registry's CPU on a 256 MiB push).
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash?.update(chunk);
        written += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeAndKeepSource(body, tap, out);
    } catch (err) {
      // A full disk keeps none of this body: the session goes back to where it was, so its
      // bytes are given back and the client may resume from the offset it had.
      if (storageFault(err)) await fs.truncate(path.join(this.uploadsDir, id, 'data'), size).catch(() => undefined);
      throw err;
    }
    if (hash) this.hashes.set(id, { hash, offset: size + written });
    return size + written;
  }

  /**
   * Finishes an upload: appends the last body (if any), verifies the digest, fsyncs, and
   * renames the data into the blob store before linking it to the repository. A wrong
   * digest ends the session and stores nothing.
   */
  async completeUpload(name: string, id: string, digest: string, body?: Readable): Promise<BlobInfo> {
    return this.uploadQueue.run(id, async () => {
      const d = parseDigest(digest);
      if (!d) throw new OciError('DIGEST_INVALID', 'provided digest is not a valid digest', { digest });
      const size = body ? await this.append(name, id, body) : await this.uploadSize(name, id);
      if (size === null) throw new OciError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });
      const dir = path.join(this.uploadsDir, id);
      const data = path.join(dir, 'data');
      const state = this.hashes.get(id);
      this.hashes.delete(id);
      const actual = state && state.offset === size && d.algorithm === 'sha256' ? `sha256:${state.hash.digest('hex')}` : await hashFile(data, d.algorithm);
      if (actual !== d.value) {
        await fs.rm(dir, { recursive: true, force: true });
        throw new OciError('DIGEST_INVALID', 'provided digest did not match uploaded content', { digest, actual });
      }
      const handle = await fs.open(data, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const file = this.blobPath(d);
      await this.lock.shared(async () => {
        if (await exists(file)) {
          const now = new Date();
          await fs.utimes(file, now, now);
        } else {
          await fs.mkdir(path.dirname(file), { recursive: true });
          await fs.rename(data, file);
          await fsyncDir(path.dirname(file));
        }
        await this.link(name, d);
      });
      await fs.rm(dir, { recursive: true, force: true });
      return { digest: d.value, size, file };
    });
  }

  async cancelUpload(name: string, id: string): Promise<void> {
    await this.uploadQueue.run(id, async () => {
      if ((await this.uploadSize(name, id)) === null) throw new OciError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });
      this.hashes.delete(id);
      await fs.rm(path.join(this.uploadsDir, id), { recursive: true, force: true });
    });
  }

  /** Removes upload sessions untouched for `olderThanMs`; returns how many and their bytes. */
  async expireUploads(olderThanMs: number, dryRun = false): Promise<{ count: number; bytes: number }> {
    const cutoff = Date.now() - olderThanMs;
    let count = 0;
    let bytes = 0;
    for (const id of await listDir(this.uploadsDir)) {
      const dir = path.join(this.uploadsDir, id);
      let st;
      try {
        st = await fs.stat(path.join(dir, 'data'));
      } catch {
        st = await fs.stat(dir).catch(() => null);
      }
      if (!st || st.mtimeMs >= cutoff) continue;
      count++;
      bytes += st.isFile() ? st.size : 0;
      if (!dryRun) {
        this.hashes.delete(id);
        await fs.rm(dir, { recursive: true, force: true });
      }
    }
    return { count, bytes };
  }

  // ---- manifests and tags ----

  async resolve(name: string, reference: Reference): Promise<Digest | null> {
    if (reference.kind === 'digest') {
      const d = mustDigest(reference.digest);
      return (await exists(this.revisionLink(name, d))) ? d : null;
    }
    const value = await readIfExists(this.tagFile(name, reference.tag));
    return value ? parseDigest(value.trim()) : null;
  }

  async manifest(name: string, reference: Reference): Promise<StoredManifest | null> {
    const d = await this.resolve(name, reference);
    if (!d) return null;
    const mediaType = await readIfExists(this.revisionLink(name, d));
    if (mediaType === null) return null;
    const body = await this.manifestBody(d);
    if (!body) return null;
    return { digest: d.value, mediaType: mediaType || guessMediaType(body), body };
  }

  /** A manifest's bytes by digest, from memory when recently used. */
  async manifestBody(d: Digest): Promise<Buffer | null> {
    const hit = this.cache.get(d.value);
    if (hit) {
      this.cache.delete(d.value);
      this.cache.set(d.value, hit);
      return hit;
    }
    let body: Buffer;
    try {
      body = await fs.readFile(this.blobPath(d));
    } catch (err) {
      if (isCode(err, 'ENOENT')) return null;
      throw err;
    }
    this.remember(d.value, body);
    return body;
  }

  private remember(digest: string, body: Buffer): void {
    if (body.length > this.cacheLimit / 4) return;
    this.cache.set(digest, body);
    this.cacheBytes += body.length;
    for (const [key, value] of this.cache) {
      if (this.cacheBytes <= this.cacheLimit) break;
      this.cache.delete(key);
      this.cacheBytes -= value.length;
    }
  }

  /**
   * Stores a manifest after checking it: parseable, digest matching a digest reference,
   * and every blob and child manifest it names present in the repository. The blob and
   * revision are written before the tag moves, so a tag never points at nothing.
   */
  async putManifest(
    name: string,
    reference: Reference,
    body: Buffer,
    contentType: string | undefined,
  ): Promise<{ digest: string; subject: string | null; manifest: ParsedManifest }> {
    let manifest: ParsedManifest;
    try {
      manifest = parseManifest(body, contentType);
    } catch (err) {
      if (err instanceof ManifestError) throw new OciError('MANIFEST_INVALID', err.message);
      throw err;
    }
    let d: Digest;
    if (reference.kind === 'digest') {
      const wanted = mustDigest(reference.digest);
      const actual = digestLike(wanted, body);
      if (actual !== wanted.value) throw new OciError('DIGEST_INVALID', 'manifest digest did not match', { digest: wanted.value, actual });
      d = wanted;
    } else {
      d = mustDigest(sha256Digest(body));
    }
    await this.lock.shared(async () => {
      if (manifest.kind === 'image') {
        for (const ref of [manifest.config, ...manifest.layers]) {
          if (FOREIGN_LAYER.test(ref.mediaType) && !(await this.blob(name, ref.digest))) continue;
          if (!(await this.blob(name, ref.digest))) {
            throw new OciError('MANIFEST_BLOB_UNKNOWN', 'manifest references a blob unknown to the repository', { digest: ref.digest });
          }
        }
      } else {
        for (const child of manifest.manifests) {
          if (!(await exists(this.revisionLink(name, mustDigest(child.digest))))) {
            throw new OciError('MANIFEST_BLOB_UNKNOWN', 'index references a manifest unknown to the repository', { digest: child.digest });
          }
        }
      }
      const file = this.blobPath(d);
      if (!(await exists(file))) await writeAtomic(this.tmpDir, file, body);
      this.remember(d.value, body);
      await writeAtomic(this.tmpDir, this.revisionLink(name, d), manifest.mediaType);
      if (manifest.subject) {
        const subject = mustDigest(manifest.subject.digest);
        const descriptor = referrerDescriptor(d.value, body, manifest);
        await writeAtomic(this.tmpDir, path.join(this.referrersDir(name, subject), `${d.algorithm}-${d.hex}`), JSON.stringify(descriptor));
      }
      if (reference.kind === 'tag') await writeAtomic(this.tmpDir, this.tagFile(name, reference.tag), d.value);
    });
    return { digest: d.value, subject: manifest.subject?.digest ?? null, manifest };
  }

  /** Deletes a manifest by digest, with every tag of the repository that points at it. */
  async deleteManifest(name: string, digest: string): Promise<void> {
    const d = mustDigest(digest);
    await this.lock.shared(async () => {
      const revision = this.revisionLink(name, d);
      if (!(await exists(revision))) throw new OciError('MANIFEST_UNKNOWN', 'manifest unknown to registry', { digest });
      for (const [tag, target] of await this.tagEntries(name)) {
        if (target === d.value) await removeFile(this.tagFile(name, tag));
      }
      const body = await this.manifestBody(d);
      const subject = body ? subjectOf(body) : null;
      if (subject) await removeFile(path.join(this.referrersDir(name, subject), `${d.algorithm}-${d.hex}`));
      await removeFile(revision);
    });
  }

  async deleteTag(name: string, tag: string): Promise<void> {
    const removed = await this.lock.shared(() => removeFile(this.tagFile(name, tag)));
    if (!removed) throw new OciError('MANIFEST_UNKNOWN', 'tag unknown to registry', { tag });
  }

  /** The repository's tags, sorted by code point; null when the repository does not exist. */
  async tags(name: string): Promise<string[] | null> {
    if (!(await exists(this.repoDir(name)))) return null;
    return (await listDir(path.join(this.repoDir(name), '_manifests', 'tags'))).sort(byCodePoint);
  }

  /** `[tag, digest]` of every tag of a repository. */
  async tagEntries(name: string): Promise<[string, string][]> {
    const dir = path.join(this.repoDir(name), '_manifests', 'tags');
    const out: [string, string][] = [];
    for (const tag of await listDir(dir)) {
      const value = await readIfExists(path.join(dir, tag));
      if (value) out.push([tag, value.trim()]);
    }
    return out;
  }

  /**
   * Every repository holding at least one manifest, sorted. With `withLinks`, also those
   * holding only blob links (a push whose manifest is not put yet): garbage collection
   * must see their links.
   */
  async repositories(opts: { withLinks?: boolean } = {}): Promise<string[]> {
    const out = new Set<string>();
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const entry of await listDir(dir)) {
        if (entry === '_manifests' || (opts.withLinks && entry === '_layers')) {
          out.add(prefix);
          continue;
        }
        if (entry.startsWith('_')) continue;
        const child = path.join(dir, entry);
        const st = await fs.stat(child).catch(() => null);
        if (st?.isDirectory()) await walk(child, prefix ? `${prefix}/${entry}` : entry);
      }
    };
    await walk(this.reposDir, '');
    return [...out].filter(Boolean).sort(byCodePoint);
  }

  /** Descriptors of the repository's manifests whose subject is `digest`. */
  async referrers(name: string, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const dir = this.referrersDir(name, mustDigest(digest));
    const out: Descriptor[] = [];
    for (const entry of (await listDir(dir)).sort()) {
      const text = await readIfExists(path.join(dir, entry));
      if (!text) continue;
      const descriptor = JSON.parse(text) as Descriptor;
      if (artifactType !== undefined && descriptor.artifactType !== artifactType) continue;
      out.push(descriptor);
    }
    return out;
  }

  // ---- walking, for garbage collection ----

  /** Digests under a link directory (`<alg>/<hex>` files) with their modification times. */
  async links(name: string, kind: '_layers' | 'revisions'): Promise<{ digest: string; file: string; mtimeMs: number }[]> {
    const base = kind === '_layers' ? path.join(this.repoDir(name), '_layers') : path.join(this.repoDir(name), '_manifests', 'revisions');
    const out: { digest: string; file: string; mtimeMs: number }[] = [];
    for (const algorithm of await listDir(base)) {
      for (const hex of await listDir(path.join(base, algorithm))) {
        const file = path.join(base, algorithm, hex);
        const st = await fs.stat(file).catch(() => null);
        if (st && parseDigest(`${algorithm}:${hex}`)) out.push({ digest: `${algorithm}:${hex}`, file, mtimeMs: st.mtimeMs });
      }
    }
    return out;
  }

  /** `[subject, referrer]` digest pairs recorded in a repository. */
  async referrerLinks(name: string): Promise<{ subject: string; referrer: string; file: string }[]> {
    const base = path.join(this.repoDir(name), '_referrers');
    const out: { subject: string; referrer: string; file: string }[] = [];
    for (const algorithm of await listDir(base)) {
      for (const hex of await listDir(path.join(base, algorithm))) {
        for (const entry of await listDir(path.join(base, algorithm, hex))) {
          const dash = entry.indexOf('-');
          out.push({ subject: `${algorithm}:${hex}`, referrer: `${entry.slice(0, dash)}:${entry.slice(dash + 1)}`, file: path.join(base, algorithm, hex, entry) });
        }
      }
    }
    return out;
  }

  /** Every stored blob with its size and modification time. */
  async *allBlobs(): AsyncGenerator<{ digest: string; file: string; size: number; mtimeMs: number }> {
    for (const algorithm of await listDir(this.blobsDir)) {
      for (const prefix of await listDir(path.join(this.blobsDir, algorithm))) {
        for (const hex of await listDir(path.join(this.blobsDir, algorithm, prefix))) {
          const file = path.join(this.blobsDir, algorithm, prefix, hex);
          const st = await fs.stat(file).catch(() => null);
          if (st?.isFile()) yield { digest: `${algorithm}:${hex}`, file, size: st.size, mtimeMs: st.mtimeMs };
        }
      }
    }
  }

  forget(digest: string): void {
    const body = this.cache.get(digest);
    if (body) {
      this.cache.delete(digest);
      this.cacheBytes -= body.length;
    }
  }
}

/**
 * Pipes `source` through `tap` into `out` like `pipeline`, except that a failure of the
 * file (ENOSPC, EROFS) leaves `source` whole, unpiped: the rest of the request body can be
 * drained rather than destroyed with its socket, so the client still gets the registry's
 * error as an answer. A source that fails or ends early fails the pipe as before.
 */
async function pipeAndKeepSource(source: Readable, tap: Transform, out: Writable): Promise<void> {
  const sink = pipeline(tap, out);
  const onError = (err: Error) => tap.destroy(err);
  const onClose = () => {
    if (!source.readableEnded) tap.destroy(Object.assign(new Error('the request body ended early'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  };
  source.once('error', onError);
  source.once('close', onClose);
  source.pipe(tap);
  try {
    await sink;
  } catch (err) {
    source.unpipe(tap);
    throw err;
  } finally {
    source.off('error', onError);
    source.off('close', onClose);
  }
}

function mustDigest(value: string): Digest {
  const d = parseDigest(value);
  if (!d) throw new OciError('DIGEST_INVALID', 'invalid digest', { digest: value });
  return d;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Hashes a file with `algorithm`, as `algorithm:hex`. */
export async function hashFile(file: string, algorithm: string): Promise<string> {
  const node = HASH_NODE[algorithm];
  if (!node) throw new OciError('DIGEST_INVALID', `unsupported digest algorithm ${algorithm}`);
  const hash = createHash(node);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `${algorithm}:${hash.digest('hex')}`;
}

function guessMediaType(body: Buffer): string {
  try {
    const o = JSON.parse(body.toString('utf8')) as { mediaType?: unknown; manifests?: unknown };
    if (typeof o.mediaType === 'string') return o.mediaType;
    return Array.isArray(o.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    return 'application/octet-stream';
  }
}

function subjectOf(body: Buffer): Digest | null {
  try {
    const o = JSON.parse(body.toString('utf8')) as { subject?: { digest?: unknown } };
    return typeof o.subject?.digest === 'string' ? parseDigest(o.subject.digest) : null;
  } catch {
    return null;
  }
}

/** The descriptor the referrers API lists for a manifest with a subject. */
function referrerDescriptor(digest: string, body: Buffer, manifest: ParsedManifest): Descriptor {
  const raw = JSON.parse(body.toString('utf8')) as { annotations?: Record<string, string> };
  const artifactType = manifest.artifactType ?? (manifest.kind === 'image' ? manifest.config.mediaType : undefined);
  return {
    mediaType: manifest.mediaType,
    digest,
    size: body.length,
    ...(artifactType ? { artifactType } : {}),
    ...(raw.annotations ? { annotations: raw.annotations } : {}),
  };
}
