// Opens a layer blob as a tar stream. The media type says how it is compressed, but
// registries and tools mislabel layers, so the first bytes decide: gzip and zstd have magic
// numbers; anything else is taken as a plain tar.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

/** How a layer blob is compressed. */
export type LayerCompression = 'gzip' | 'zstd' | 'none';

const LAYER_MEDIA_TYPES: Record<string, LayerCompression> = {
  'application/vnd.oci.image.layer.v1.tar': 'none',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
};

/**
 * The compression a layer media type declares, or null when the media type is not a
 * filesystem layer at all (a Helm chart, a signature, an SBOM, an in-toto statement…).
 */
export function layerCompression(mediaType: string): LayerCompression | null {
  const base = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  return LAYER_MEDIA_TYPES[base] ?? null;
}

/** Whether `mediaType` names a filesystem layer (OCI or Docker, distributable or not). */
export function isLayerMediaType(mediaType: string): boolean {
  return layerCompression(mediaType) !== null;
}

/** The compression the first bytes of a blob show: gzip `1f 8b`, zstd `28 b5 2f fd`, else none. */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** A Transform that decompresses a zstd stream with fzstd (Node 20's zlib has no zstd). */
export function createZstdDecompress(): Transform {
  const decoder = new Decompress();
  const transform = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        decoder.push(chunk);
        done();
      } catch (err) {
        done(zstdError(err));
      }
    },
    flush(done: TransformCallback) {
      try {
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(zstdError(err));
      }
    },
  });
  decoder.ondata = (data) => {
    // Copied: the decoder's block may share memory with its window.
    if (data.length > 0) transform.push(Buffer.from(data));
  };
  return transform;
}

function zstdError(err: unknown): Error {
  return new Error(`zstd: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** What {@link openLayerTar} found out about the blob. */
export interface OpenedLayer {
  /** The uncompressed tar. */
  tar: Readable;
  /** The compression the first bytes showed (which wins over the media type's). */
  compression: LayerCompression;
}

/**
 * Opens a layer blob as its uncompressed tar. The compression is sniffed from the first
 * bytes; the media type is only a fallback for a blob too short to tell (an empty one). A
 * corrupt stream fails the returned `tar` with an error that names the compression.
 */
export async function openLayerTar(blob: AsyncIterable<Uint8Array>, mediaType = ''): Promise<OpenedLayer> {
  const it = blob[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 4) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = Buffer.concat(head);
  const compression = headBytes > 0 ? sniffCompression(first) : (layerCompression(mediaType) ?? 'none');
  async function* rest(): AsyncGenerator<Uint8Array> {
    try {
      if (first.length > 0) yield first;
      if (ended) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      // Stopped early (a failure downstream): let the source release its connection.
      await it.return?.();
    }
  }
  const raw = Readable.from(rest(), { objectMode: false, highWaterMark: 1 << 20 });
  if (compression === 'none') return { tar: raw, compression };
  // 1 MiB output chunks: zlib's default 16 KiB costs a round trip to its thread per chunk (~3× the CPU).
  const decoder = compression === 'gzip' ? createGunzip({ chunkSize: 1024 * 1024 }) : createZstdDecompress();
  raw.on('error', (err) => decoder.destroy(err));
  // A reader that stops early (an abort, a failed walk) stops the download too.
  decoder.on('close', () => raw.destroy());
  raw.pipe(decoder);
  if (compression === 'gzip') {
    // zlib's own messages ("incorrect header check") do not say what was being read; this
    // listener runs before any reader's.
    decoder.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code?.startsWith('Z_') && !err.message.startsWith('gzip:')) err.message = `gzip: ${err.message}`;
    });
  }
  return { tar: decoder, compression };
}
