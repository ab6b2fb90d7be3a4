import { randomBytes } from 'node:crypto';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { OciError } from '@berth/oci';

/** True when `err` is a Node filesystem error with this code. */
export function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}

/**
 * The registry's answer when its disk cannot take a write: 507 Insufficient Storage,
 * UNAVAILABLE, with a message that says whether it is full (or over quota) or read-only;
 * null for any other error. Both are 507: docker and skopeo show only the status line of a
 * 5xx, so the status itself must say that storage is the trouble.
 */
export function storageFault(err: unknown): OciError | null {
  if (isCode(err, 'ENOSPC', 'EDQUOT')) {
    return new OciError('UNAVAILABLE', 'the registry storage is full: nothing was stored; free space on its disk and push again', undefined, 507);
  }
  if (isCode(err, 'EROFS')) {
    return new OciError('UNAVAILABLE', 'the registry storage is read-only: nothing was stored; make its disk writable and push again', undefined, 507);
  }
  return null;
}

/** Reads a small file as text; null when it does not exist. */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return null;
    throw err;
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Flushes a directory's entries (a rename into it) to disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` so that readers see either the old content or the whole new content:
 * into a temp file in `tmpDir` (same filesystem), fsynced, renamed over `file`, and the
 * directory fsynced. A crash at any point leaves at most a stray temp file.
 */
export async function writeAtomic(tmpDir: string, file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    // A full disk: the part written goes at once, not at the next start.
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  const dir = path.dirname(file);
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
    await fs.mkdir(dir, { recursive: true });
    await fs.rename(tmp, file);
  }
  await fsyncDir(dir);
}

/**
 * A stream appending to `file`, as `createWriteStream(file, { flags: 'a' })` does, that also
 * says when each chunk has been written (`written`), so memory lent for a body can be used
 * again. A short write (a disk filling up) goes on where it stopped until the disk refuses.
 */
export function appendStream(file: string, written: (chunk: Buffer) => void): Writable {
  let fh: FileHandle | undefined;
  return new Writable({
    highWaterMark: 1 << 20,
    construct(done) {
      fs.open(file, 'a').then((h) => {
        fh = h;
        done();
      }, done);
    },
    writev(chunks, done) {
      const buffers = chunks.map((c) => c.chunk as Buffer);
      writeAll(fh!, buffers).then(() => {
        for (const b of buffers) written(b);
        done();
      }, done);
    },
    destroy(err, done) {
      if (!fh) return done(err);
      fh.close().then(
        () => done(err),
        (closeErr: Error) => done(err ?? closeErr),
      );
    },
  });
}

async function writeAll(fh: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = [...buffers];
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev(rest);
    if (bytesWritten === 0) throw Object.assign(new Error('the disk wrote nothing'), { code: 'EIO' });
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= rest[0]!.byteLength) skip -= rest.shift()!.byteLength;
    if (skip > 0) rest = [rest[0]!.subarray(skip), ...rest.slice(1)];
  }
}

/** Removes a file; true when it existed. */
export async function removeFile(file: string): Promise<boolean> {
  try {
    await fs.unlink(file);
    return true;
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return false;
    throw err;
  }
}

/** Entries of a directory; empty when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

/**
 * A readers-writer lock: many commits at once, or garbage collection alone. Commits
 * (a blob rename, a link, a manifest put) are short; a collection waits for those in
 * flight and holds new ones until it is done.
 */
export class CommitLock {
  private readers = 0;
  private writer = false;
  private writersWaiting = 0;
  private waiting: (() => void)[] = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    // A waiting collection goes first, so a steady stream of pushes cannot starve it.
    while (this.writer || this.writersWaiting > 0) await new Promise<void>((r) => this.waiting.push(r));
    this.readers++;
    try {
      return await fn();
    } finally {
      this.readers--;
      this.wake();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.writersWaiting++;
    try {
      while (this.writer || this.readers > 0) await new Promise<void>((r) => this.waiting.push(r));
    } finally {
      this.writersWaiting--;
    }
    this.writer = true;
    try {
      return await fn();
    } finally {
      this.writer = false;
      this.wake();
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}

/** Runs async tasks one at a time per key (e.g. the PATCHes of one upload session). */
export class KeyedQueue {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
