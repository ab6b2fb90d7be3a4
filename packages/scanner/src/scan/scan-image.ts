// Scans one platform image: every layer streamed once (digest checked on the way), walked
// by the analyzers, then the walks merged in layer order into one inventory.
import { buildInventory, mergeLayers } from '../layers/merge.ts';
import { isLayerMediaType, openLayerTar } from '../layers/decompress.ts';
import { walkLayer, type LayerWalk } from '../layers/walk.ts';
import type { FileAnalyzer, Inventory, ScanNote } from '../types.ts';
import { verifyDigest } from './verify-digest.ts';
import { osPurl } from '../analyzers/os/purl.ts';

/** A layer as the manifest describes it. */
export interface LayerDescriptor {
  digest: string;
  mediaType: string;
  size: number;
}

/** How far a scan is. `bytesTotal` is the sum of the manifest's layer sizes. */
export interface ScanProgress {
  layersDone: number;
  layers: number;
  bytesRead: number;
  bytesTotal: number;
}

/** Options of {@link scanImage}. */
export interface ScanImageOptions {
  /** In the manifest's order, lowest first. */
  layers: readonly LayerDescriptor[];
  /** Opens a layer's blob (compressed, as stored). */
  open(layer: LayerDescriptor): Promise<AsyncIterable<Uint8Array> | NodeJS.ReadableStream>;
  analyzers: readonly FileAnalyzer[];
  /** Layers read at once (default 2); the merge is in layer order whatever the order they finish in. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?(p: ScanProgress): void;
}

/** Progress is reported at most once per this many bytes (and when a layer is done). */
const PROGRESS_STEP = 1024 * 1024;

/**
 * Scans an image's layers into its inventory. A layer whose bytes do not match its digest,
 * a corrupt compressed stream or tar, or an abort fails the scan with an error naming the
 * layer. A descriptor that is not a filesystem layer (media type) is not read: a note says so.
 */
export async function scanImage(opts: ScanImageOptions): Promise<Inventory> {
  const { layers } = opts;
  opts.signal?.throwIfAborted();
  // One failed layer stops the others too.
  const stop = new AbortController();
  const signal = stop.signal;
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const progress: ScanProgress = { layersDone: 0, layers: layers.length, bytesRead: 0, bytesTotal: layers.reduce((s, l) => s + l.size, 0) };
  let reported = 0;
  const report = (force: boolean) => {
    if (!opts.onProgress || (!force && progress.bytesRead - reported < PROGRESS_STEP)) return;
    reported = progress.bytesRead;
    opts.onProgress({ ...progress });
  };
  const walks: (LayerWalk | null)[] = new Array<LayerWalk | null>(layers.length).fill(null);
  const notes: ScanNote[] = [];

  const scanOne = async (index: number) => {
    const layer = layers[index]!;
    if (!isLayerMediaType(layer.mediaType)) {
      notes.push({ path: '', layer: layer.digest, message: `not read: ${layer.mediaType || 'a blob without media type'} is not a filesystem layer` });
      return;
    }
    const blob = await opts.open(layer);
    try {
      const counted = verifyDigest(blob as AsyncIterable<Uint8Array | string>, layer.digest, (n) => {
        progress.bytesRead += n;
        report(false);
      }, signal);
      const { tar } = await openLayerTar(counted, layer.mediaType);
      walks[index] = await walkLayer(tar, { digest: layer.digest, analyzers: opts.analyzers, signal });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.includes(layer.digest) ? message : `layer ${layer.digest}: ${message}`, { cause: err });
    } finally {
      const closable = blob as { destroy?: () => void };
      if (typeof closable.destroy === 'function') closable.destroy();
    }
    progress.layersDone++;
    report(true);
  };

  try {
    await runLimited(layers.length, Math.max(1, opts.concurrency ?? 2), scanOne);
  } catch (err) {
    stop.abort(err);
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const view = mergeLayers(walks.filter((w): w is LayerWalk => w !== null));
  const inventory = buildInventory(view, [...notes, ...walks.flatMap((w) => w?.notes ?? [])]);
  // OS package purls name their distribution once the image's OS is known.
  return { ...inventory, packages: inventory.packages.map((p) => ({ ...p, purl: osPurl(p, inventory.os) })) };
}

/** Runs `task(0 … count-1)`, at most `limit` at once; the first failure rejects (the others are left to settle). */
async function runLimited(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
