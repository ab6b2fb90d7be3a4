// rpm's BerkeleyDB backend (`Packages`, rpm < 4.16: RHEL/CentOS 7 and 8, older Fedora/SUSE):
// a Berkeley DB hash database whose values are header blobs. Read page by page, without
// following the hash buckets: every hash page's key/value pairs are taken, values stored
// inline or on overflow page chains. Layout from Berkeley DB's db_page.h: a 26-byte page
// header (lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2, level 1, type 1), then
// `entries` u16 item offsets; byte order is the creating machine's, told by the magic.

const HASH_MAGIC = 0x00061561;
const PAGE_HASH_UNSORTED = 2;
const PAGE_HASH = 13;
const PAGE_OVERFLOW = 7;
const ITEM_KEYDATA = 1;
const ITEM_OFFPAGE = 3;
const PAGE_HEADER = 26;

/** Whether the content starts like a Berkeley DB hash database (either byte order). */
export function isBerkeleyDbHash(content: Buffer): boolean {
  return content.length >= 512 && (content.readUInt32LE(12) === HASH_MAGIC || content.readUInt32BE(12) === HASH_MAGIC);
}

/** The values of a Berkeley DB hash database, in page order. Throws on a malformed file. */
export function bdbHashValues(content: Buffer): Buffer[] {
  if (!isBerkeleyDbHash(content)) throw new Error('not a Berkeley DB hash database');
  const le = content.readUInt32LE(12) === HASH_MAGIC;
  const u16 = (at: number) => (le ? content.readUInt16LE(at) : content.readUInt16BE(at));
  const u32 = (at: number) => (le ? content.readUInt32LE(at) : content.readUInt32BE(at));
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Error(`bad Berkeley DB page size ${pageSize}`);
  if (content[24] !== 0) throw new Error('encrypted Berkeley DB database');
  const pages = Math.floor(content.length / pageSize);

  const overflow = (first: number, total: number): Buffer => {
    const parts: Buffer[] = [];
    let length = 0;
    for (let pgno = first, hops = 0; pgno !== 0 && length < total; hops++) {
      if (pgno >= pages || hops > pages) throw new Error(`bad Berkeley DB overflow page ${pgno}`);
      const base = pgno * pageSize;
      if (content[base + 25] !== PAGE_OVERFLOW) throw new Error(`page ${pgno} is not an overflow page`);
      const used = u16(base + 22);
      if (PAGE_HEADER + used > pageSize) throw new Error(`bad Berkeley DB overflow page ${pgno}`);
      parts.push(content.subarray(base + PAGE_HEADER, base + PAGE_HEADER + used));
      length += used;
      pgno = u32(base + 16);
    }
    if (length < total) throw new Error('Berkeley DB overflow chain is truncated');
    return Buffer.concat(parts, length).subarray(0, total);
  };

  const values: Buffer[] = [];
  for (let pgno = 1; pgno < pages; pgno++) {
    const base = pgno * pageSize;
    const type = content[base + 25];
    if (type !== PAGE_HASH && type !== PAGE_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) throw new Error(`bad Berkeley DB hash page ${pgno}`);
    for (let i = 1; i < entries; i += 2) {
      const offset = u16(base + PAGE_HEADER + i * 2);
      const end = u16(base + PAGE_HEADER + (i - 1) * 2); // items are packed from the page end down
      if (offset >= pageSize || end > pageSize || end <= offset) throw new Error(`bad Berkeley DB item on page ${pgno}`);
      const item = base + offset;
      if (content[item] === ITEM_KEYDATA) values.push(content.subarray(item + 1, base + end));
      else if (content[item] === ITEM_OFFPAGE) values.push(overflow(u32(item + 4), u32(item + 8)));
    }
  }
  return values;
}
