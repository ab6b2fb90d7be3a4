// A small promise wrapper around yauzl for archives held in memory: lists entries one at a
// time and reads the ones asked for, each bounded in size.
import yauzl from 'yauzl';

/** One zip entry, as the visitor sees it. */
export interface ZipEntryView {
  name: string;
  /** Size after inflating, as the central directory states it. */
  size: number;
  /** Reads the entry's bytes. */
  read(): Promise<Buffer>;
}

function open(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err) reject(err);
      else resolve(zip);
    });
  });
}

function readStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(err);
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(parts)));
    });
  });
}

/**
 * Calls `visit` for every file entry of the zip in `buffer`, in order, waiting for each
 * visit to finish. Rejects when the archive is not a readable zip.
 */
export async function forEachZipEntry(buffer: Buffer, visit: (entry: ZipEntryView) => Promise<void>): Promise<void> {
  const zip = await open(buffer);
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        visit({ name: entry.fileName, size: entry.uncompressedSize, read: () => readStream(zip, entry) })
          .then(() => zip.readEntry())
          .catch(fail);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
