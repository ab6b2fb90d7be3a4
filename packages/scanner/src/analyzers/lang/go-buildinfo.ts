// Finds the Go build info blob in a stream of an executable's bytes. The Go linker writes it
// at a 16-byte aligned offset (the `.go.buildinfo` section): the magic `\xff Go buildinf:`,
// then pointer size and flags; from Go 1.18 on (flag 0x2) the Go version and the module
// info follow inline as varint-length-prefixed strings, at header offset 32. Earlier
// binaries point to those strings instead, which a stream cannot follow.

/** The 14-byte magic that opens the build info header. */
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const ALIGN = 16;
const FLAG_INLINE = 0x2;
/** Largest module info accepted; real ones are tens of KiB. */
const MAX_MODINFO = 4 * 1024 * 1024;
const MAX_VERSION = 256;

/** What the search found. */
export type BuildInfoResult =
  | { kind: 'inline'; goVersion: string; modinfo: string }
  | { kind: 'pointer' }
  | { kind: 'none' };

type Parse = BuildInfoResult | { kind: 'more' } | { kind: 'invalid' };

/** Reads an unsigned LEB128 varint; null when `buf` ends first, -1 when it is too long. */
function uvarint(buf: Buffer, pos: number): { value: number; next: number } | null | -1 {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos + i];
    if (b === undefined) return null;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value > Number.MAX_SAFE_INTEGER ? -1 : { value, next: pos + i + 1 };
    scale *= 128;
  }
  return -1;
}

/** Strips the 16-byte sentinels the go command puts around module info (Go's `debug/buildinfo` does the same). */
function unframe(mod: Buffer): string {
  if (mod.length >= 33 && mod[mod.length - 17] === 0x0a) return mod.subarray(16, mod.length - 16).toString('utf8');
  return '';
}

/** Parses a header that starts at `blob[0]`. */
export function parseBuildInfoBlob(blob: Buffer): Parse {
  if (blob.length < HEADER_SIZE) return { kind: 'more' };
  const ptrSize = blob[14];
  const flags = blob[15] ?? 0;
  if (ptrSize !== 4 && ptrSize !== 8) return { kind: 'invalid' };
  if ((flags & FLAG_INLINE) === 0) return { kind: 'pointer' };
  const v = uvarint(blob, HEADER_SIZE);
  if (v === null) return { kind: 'more' };
  if (v === -1 || v.value === 0 || v.value > MAX_VERSION) return { kind: 'invalid' };
  if (blob.length < v.next + v.value) return { kind: 'more' };
  const goVersion = blob.subarray(v.next, v.next + v.value).toString('utf8');
  if (!goVersion.startsWith('go') && !goVersion.startsWith('devel')) return { kind: 'invalid' };
  const m = uvarint(blob, v.next + v.value);
  if (m === null) return { kind: 'more' };
  if (m === -1 || m.value > MAX_MODINFO) return { kind: 'invalid' };
  if (blob.length < m.next + m.value) return { kind: 'more' };
  return { kind: 'inline', goVersion, modinfo: unframe(blob.subarray(m.next, m.next + m.value)) };
}

/**
 * Searches chunks for the build info without holding the file: only a carry of a few bytes
 * across chunk boundaries is kept, or, once an aligned magic is seen, the bytes of the blob
 * until it parses. A pointer-style (pre-1.18) header is remembered but the search goes on,
 * since an inline one later in the file is the real one (the first could be the magic as a
 * string constant of a program that reads build info).
 */
export class BuildInfoFinder {
  private buf: Buffer = Buffer.alloc(0);
  /** Absolute file offset of `buf[0]`. */
  private base = 0;
  private from = 0;
  private pointerSeen = false;
  private found: BuildInfoResult | null = null;

  /** True once the inline build info was found; further chunks need not be pushed. */
  get done(): boolean {
    return this.found !== null;
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Buffer): void {
    if (this.found) return;
    const keep = this.buf.subarray(this.from);
    this.base += this.from;
    this.buf = keep.length === 0 ? chunk : Buffer.concat([keep, chunk]);
    this.from = 0;
    this.search();
  }

  private search(): void {
    for (;;) {
      const i = this.buf.indexOf(BUILDINFO_MAGIC, this.from);
      if (i < 0) {
        // Keep just enough to see a magic that straddles the boundary.
        this.from = Math.max(this.from, this.buf.length - (BUILDINFO_MAGIC.length - 1));
        return;
      }
      if ((this.base + i) % ALIGN !== 0) {
        this.from = i + 1;
        continue;
      }
      const r = parseBuildInfoBlob(this.buf.subarray(i));
      if (r.kind === 'more') {
        if (this.buf.length - i > MAX_MODINFO + 2 * MAX_VERSION) {
          this.from = i + 1;
          continue;
        }
        this.from = i; // wait for more bytes, keeping the blob from its start
        return;
      }
      if (r.kind === 'invalid') {
        this.from = i + 1;
        continue;
      }
      if (r.kind === 'pointer') {
        this.pointerSeen = true;
        this.from = i + 1;
        continue;
      }
      this.found = r;
      this.buf = Buffer.alloc(0);
      this.from = 0;
      return;
    }
  }

  /** The outcome once the stream has ended. */
  result(): BuildInfoResult {
    if (this.found) return this.found;
    return this.pointerSeen ? { kind: 'pointer' } : { kind: 'none' };
  }
}
