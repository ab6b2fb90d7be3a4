// Reads one layer's tar once, front to back, and asks the analyzers about every regular
// file. Only the files an analyzer wants are held, and only up to its `maxBytes`; the rest
// of the layer streams past. What comes out is per path, so that the merge can let upper
// layers replace or delete it.
//
// Hardlinks and symlinks are not followed: an analyzer sees the file under the path of its
// regular entry only. A link still replaces whatever a lower layer had at its own path.
import { extract } from 'tar-stream';
import type { FileAnalyzer, FileFindings, FileInfo, ScanNote } from '../types.ts';
import { ChunkChannel } from './chunk-channel.ts';
import { normalizeEntryPath, whiteoutOf } from './paths.ts';

/** Whole-file analyzers that set no `maxBytes` read files up to this size. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** What one layer holds, as the merge needs it. */
export interface LayerWalk {
  digest: string;
  /** Path → analyzer name → what that analyzer found in the file. */
  files: Map<string, Map<string, FileFindings>>;
  /** Every path this layer puts a file, link or device at: it hides a lower layer's file there. */
  entries: Set<string>;
  /** Paths deleted from lower layers (`dir/.wh.name` → `dir/name`), with everything under them. */
  whiteouts: string[];
  /** Directories made opaque (`dir/.wh..wh..opq`): nothing under them from lower layers stays. */
  opaqueDirs: string[];
  /** Notes about the layer itself (entries that were not read). */
  notes: ScanNote[];
}

/** Options of {@link walkLayer}. */
export interface WalkOptions {
  /** The layer's digest, recorded on every finding. */
  digest: string;
  analyzers: readonly FileAnalyzer[];
  signal?: AbortSignal;
}

type TarEntry = AsyncIterable<Buffer> & { header: { name: string; type?: string | null; size?: number; mode?: number } };

/**
 * Walks one layer's uncompressed tar. An error of the tar stream (corrupt data, a digest
 * mismatch found at its end, an abort) rejects; an analyzer's failure becomes a note on
 * that file.
 */
export async function walkLayer(tar: AsyncIterable<Uint8Array>, opts: WalkOptions): Promise<LayerWalk> {
  const walk: LayerWalk = { digest: opts.digest, files: new Map(), entries: new Set(), whiteouts: [], opaqueDirs: [], notes: [] };
  const ex = extract();
  let pumpError: unknown = null;
  const pump = (async () => {
    try {
      for await (const chunk of tar) {
        if (!ex.write(chunk)) await drained(ex);
      }
      // tar-stream 3 is a streamx Writable; its end() takes no argument (the @types say one).
      (ex as unknown as { end(): void }).end();
    } catch (err) {
      pumpError = err;
      ex.destroy(err as Error);
    }
  })();
  try {
    for await (const entry of ex as unknown as AsyncIterable<TarEntry>) {
      opts.signal?.throwIfAborted();
      await readEntry(entry, walk, opts);
    }
  } catch (err) {
    destroy(ex);
    throw pumpError ?? err;
  } finally {
    destroy(tar);
  }
  await pump;
  if (pumpError) throw pumpError;
  return walk;
}

/** Destroys a Node or streamx stream (stops what feeds it); anything else is left alone. */
function destroy(stream: unknown): void {
  const s = stream as { destroy?: () => void };
  if (typeof s.destroy === 'function') s.destroy();
}

/** Resolves when a writable wants more, or is gone. */
function drained(stream: { once(event: string, fn: () => void): unknown; removeListener(event: string, fn: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.removeListener('drain', done);
      stream.removeListener('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

async function drain(entry: AsyncIterable<Buffer>): Promise<void> {
  for await (const _chunk of entry) {
    /* skipped */
  }
}

async function readEntry(entry: TarEntry, walk: LayerWalk, opts: WalkOptions): Promise<void> {
  const { header } = entry;
  const path = normalizeEntryPath(header.name);
  if (path === null) {
    walk.notes.push({ path: header.name, layer: walk.digest, message: 'not read: the path climbs out of the image root (..)' });
    return drain(entry);
  }
  const type = header.type ?? 'file';
  if (type === 'directory' || path === '') return drain(entry);
  const whiteout = whiteoutOf(path);
  if (whiteout) {
    if ('opaque' in whiteout) walk.opaqueDirs.push(whiteout.opaque);
    else walk.whiteouts.push(whiteout.deleted);
    return drain(entry);
  }
  // A second entry at the same path in one tar replaces the first.
  walk.entries.add(path);
  walk.files.delete(path);
  if (type !== 'file' && type !== 'contiguous-file') return drain(entry);
  const info: FileInfo = { path, size: header.size ?? 0, mode: header.mode ?? 0o644, layer: walk.digest };
  const wanted = opts.analyzers.filter((a) => {
    try {
      return a.wants(info);
    } catch {
      return false;
    }
  });
  if (wanted.length === 0) return drain(entry);
  const findings = await analyzeFile(entry, info, wanted);
  if (findings.size > 0) walk.files.set(path, findings);
}

/** Reads the file once and feeds every analyzer that wants it. */
async function analyzeFile(entry: AsyncIterable<Buffer>, info: FileInfo, wanted: FileAnalyzer[]): Promise<Map<string, FileFindings>> {
  const findings = new Map<string, FileFindings>();
  const keep = (name: string, f: FileFindings) => {
    if (f.os || f.packages?.length || f.secrets?.length || f.notes?.length) findings.set(name, f);
  };
  const failed = (name: string, err: unknown) =>
    keep(name, { notes: [{ path: info.path, layer: info.layer, message: `${name} could not read this file: ${err instanceof Error ? err.message : String(err)}` }] });

  const whole: FileAnalyzer[] = [];
  const streaming: FileAnalyzer[] = [];
  for (const a of wanted) {
    if (a.analyzeStream) streaming.push(a);
    else if (a.analyze) {
      const limit = a.maxBytes ?? DEFAULT_MAX_BYTES;
      if (info.size > limit) keep(a.name, { notes: [{ path: info.path, layer: info.layer, message: `not read: larger than ${formatBytes(limit)} (${a.name})` }] });
      else whole.push(a);
    }
  }
  const channels = streaming.map(() => new ChunkChannel());
  const running = streaming.map((a, i) => {
    const channel = channels[i]!;
    return Promise.resolve()
      .then(() => a.analyzeStream!(info, channel))
      .then(
        (f) => keep(a.name, f),
        (err: unknown) => failed(a.name, err),
      )
      .finally(() => channel.stop());
  });
  const parts: Buffer[] = [];
  try {
    for await (const chunk of entry) {
      if (whole.length > 0) parts.push(chunk);
      if (channels.length === 1) await channels[0]!.push(chunk);
      else if (channels.length > 1) await Promise.all(channels.map((c) => c.push(chunk)));
    }
  } finally {
    for (const c of channels) c.end();
  }
  await Promise.all(running);
  if (whole.length > 0) {
    const content = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    for (const a of whole) {
      try {
        keep(a.name, await a.analyze!(info, content));
      } catch (err) {
        failed(a.name, err);
      }
    }
  }
  return findings;
}

/** `64 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
