// Parses an rpm header blob as rpm's databases store it (no lead, no header magic):
// `il` (index entry count) and `dl` (data length), big-endian u32 each, then `il` 16-byte
// index entries (tag, type, offset, count) and the data store they point into.

/** The tags of an installed package that Berth reads. */
export interface RpmHeaderInfo {
  name: string;
  version: string;
  release: string;
  /** null when the header has no EPOCH tag. */
  epoch: number | null;
  license: string | null;
  arch: string | null;
  /** `SOURCERPM`, e.g. `bash-5.1.8-6.el9.src.rpm`. */
  sourceRpm: string | null;
}

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, license: 1014, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

/** Reads a header blob; returns null when it is malformed or lacks NAME, VERSION or RELEASE. */
export function parseRpmHeader(blob: Uint8Array): RpmHeaderInfo | null {
  if (blob.length < 8) return null;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  const dataStart = 8 + il * 16;
  if (il === 0 || il > 0x10000 || dataStart + dl > blob.length) return null;
  const strings = new Map<number, string>();
  let epoch: number | null = null;
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = view.getUint32(e);
    if (tag < TAG.name || tag > TAG.sourceRpm) continue;
    const type = view.getUint32(e + 4);
    const offset = view.getUint32(e + 8);
    if (offset >= dl) return null;
    const at = dataStart + offset;
    if (tag === TAG.epoch) {
      if (type === TYPE_INT32 && offset + 4 <= dl) epoch = view.getUint32(at);
    } else if (type === TYPE_STRING || type === TYPE_STRING_ARRAY || type === TYPE_I18NSTRING) {
      let end = at;
      const limit = dataStart + dl;
      while (end < limit && blob[end] !== 0) end++;
      strings.set(tag, Buffer.from(blob.buffer, blob.byteOffset + at, end - at).toString('utf8'));
    }
  }
  const name = strings.get(TAG.name);
  const version = strings.get(TAG.version);
  const release = strings.get(TAG.release);
  if (!name || !version || release === undefined) return null;
  return {
    name,
    version,
    release,
    epoch,
    license: strings.get(TAG.license) ?? null,
    arch: strings.get(TAG.arch) ?? null,
    sourceRpm: strings.get(TAG.sourceRpm) ?? null,
  };
}

/** `bash-5.1.8-6.el9.src.rpm` → `bash`: the name before the last two `-` parts. Null when it has no such shape. */
export function sourceRpmName(sourceRpm: string): string | null {
  const base = sourceRpm.replace(/\.(?:no)?src\.rpm$/, '');
  const release = base.lastIndexOf('-');
  const version = release > 0 ? base.lastIndexOf('-', release - 1) : -1;
  return version > 0 ? base.slice(0, version) : null;
}
