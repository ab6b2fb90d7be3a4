// rpm's NDB backend (`Packages.db`, SUSE): little-endian u32s throughout. A 32-byte file
// header ("RpmP", version 0, generation, slot page count, next index), then slot pages of
// 16-byte slots ("Slot", package index, block offset, block count; offset 0 = free), then
// blobs in 16-byte blocks: "BlbS", package index, timestamp, length, the header blob, and a
// tail (adler32, length, "BlbE"). Layout from rpm's lib/backend/ndb/rpmpkg.c.

const MAGIC_DB = 0x506d7052; // "RpmP"
const MAGIC_SLOT = 0x746f6c53; // "Slot"
const MAGIC_BLOB = 0x53626c42; // "BlbS"
const PAGE = 4096;
const BLOCK = 16;
const HEADER_SIZE = 32;

/** Whether the content starts like an NDB package database. */
export function isNdb(content: Buffer): boolean {
  return content.length >= HEADER_SIZE && content.readUInt32LE(0) === MAGIC_DB;
}

/** The header blobs of an NDB `Packages.db`, in slot order. Throws on a malformed file. */
export function ndbHeaderBlobs(content: Buffer): Buffer[] {
  if (!isNdb(content)) throw new Error('not an rpm NDB database');
  const version = content.readUInt32LE(4);
  if (version !== 0) throw new Error(`rpm NDB version ${version} is not known`);
  const slotPages = content.readUInt32LE(12);
  if (slotPages === 0 || slotPages * PAGE > content.length) throw new Error('rpm NDB slot pages are truncated');
  const blobs: Buffer[] = [];
  for (let at = HEADER_SIZE; at < slotPages * PAGE; at += 16) {
    if (content.readUInt32LE(at) !== MAGIC_SLOT) throw new Error(`bad rpm NDB slot at byte ${at}`);
    const blkoff = content.readUInt32LE(at + 8);
    if (blkoff === 0) continue;
    const pkgidx = content.readUInt32LE(at + 4);
    const start = blkoff * BLOCK;
    if (start + 16 > content.length || content.readUInt32LE(start) !== MAGIC_BLOB || content.readUInt32LE(start + 4) !== pkgidx) {
      throw new Error(`bad rpm NDB blob for package ${pkgidx}`);
    }
    const length = content.readUInt32LE(start + 12);
    if (start + 16 + length > content.length) throw new Error(`truncated rpm NDB blob for package ${pkgidx}`);
    blobs.push(content.subarray(start + 16, start + 16 + length));
  }
  return blobs;
}
