// Reading the JSON entries of a large zip quickly without holding it: yauzl parses the
// archive (central directory, local headers, bounds), reading through a reader that fetches
// the file a few megabytes at a time; each entry's bytes are then inflated in one call.
// (yauzl's own per-entry streams cost ~150 µs an entry: 10 s for OSV's 60,000-entry archives.)

import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

const BLOCK = 8 * 2 ** 20;

/**
 * A yauzl reader over a file that keeps two blocks of it (8 MiB each: one where the central
 * directory is read, one where the entries' data is) and reads a new block when asked
 * outside both, in place of the one used least recently.
 */
class BlockReader extends yauzl.RandomAccessReader {
  private blocks: { start: number; data: Buffer }[] = [];

  constructor(private readonly handle: fs.FileHandle) {
    super();
  }

  /** `length` bytes at `position`: from a block when one holds them, else read (with what follows) first. */
  async bytes(position: number, length: number): Promise<Buffer> {
    let i = this.blocks.findIndex((b) => position >= b.start && position + length <= b.start + b.data.length);
    if (i === -1) {
      const size = Math.max(length, BLOCK);
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.handle.read(buf, 0, size, position);
      if (bytesRead < length) throw new Error(`unexpected end of file at ${position + bytesRead}`);
      this.blocks.unshift({ start: position, data: buf.subarray(0, bytesRead) });
      this.blocks.length = Math.min(this.blocks.length, 2);
      i = 0;
    } else if (i === 1) {
      this.blocks.reverse();
      i = 0;
    }
    const b = this.blocks[i]!;
    return b.data.subarray(position - b.start, position - b.start + length);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    this.bytes(position, length).then(
      (b) => {
        b.copy(buffer, offset);
        callback(null);
      },
      (err: Error) => callback(err),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from((async function* (reader: BlockReader) {
      for (let at = start; at < end; at += BLOCK) yield Buffer.from(await reader.bytes(at, Math.min(BLOCK, end - at)));
    })(this));
  }

  override close(callback: (err: Error | null) => void): void {
    this.handle.close().then(() => callback(null), callback);
  }
}

/** Called with each JSON entry's name and text; a throw becomes that entry's problem. */
export type ZipEntryHandler = (name: string, text: string) => void;

/**
 * Hands every `*.json` entry of the zip at `file` to `onEntry`, in archive order, one
 * entry in memory at a time. An entry that cannot be read (encrypted, an unknown
 * compression, a size that does not match) goes to `onProblem`; an archive that is not a
 * zip, or is cut short, rejects.
 */
export async function readZipJsonEntries(file: string, onEntry: ZipEntryHandler, onProblem: (name: string, message: string) => void): Promise<void> {
  const handle = await fs.open(file, 'r');
  const reader = new BlockReader(handle);
  let zip: yauzl.ZipFile;
  try {
    const { size } = await handle.stat();
    zip = await yauzl.fromRandomAccessReaderPromise(reader, size, { lazyEntries: true, autoClose: false });
  } catch (err) {
    await handle.close();
    throw err;
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json')) return zip.readEntry();
        readEntry(zip, reader, entry).then(
          (text) => {
            if (text instanceof Error) onProblem(entry.fileName, text.message);
            else {
              try {
                onEntry(entry.fileName, text);
              } catch (err) {
                onProblem(entry.fileName, (err as Error).message);
              }
            }
            zip.readEntry();
          },
          reject,
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** An entry's text, an Error for an entry that cannot be read; rejects when the archive itself is broken. */
async function readEntry(zip: yauzl.ZipFile, reader: BlockReader, entry: yauzl.Entry): Promise<string | Error> {
  if (entry.isEncrypted()) return new Error('encrypted entry');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return new Error(`unsupported compression method ${entry.compressionMethod}`);
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const packed = await reader.bytes(fileDataStart, entry.compressedSize);
  let data: Buffer;
  try {
    data = entry.compressionMethod === 8 ? zlib.inflateRawSync(packed) : packed;
  } catch (err) {
    return new Error(`cannot inflate: ${(err as Error).message}`);
  }
  if (data.length !== entry.uncompressedSize) return new Error(`size ${data.length} is not the ${entry.uncompressedSize} bytes the archive says`);
  if (typeof zlib.crc32 === 'function' && zlib.crc32(data) !== entry.crc32) return new Error('CRC-32 mismatch');
  return data.toString('utf8');
}
