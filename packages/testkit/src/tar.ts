/**
 * A minimal deterministic ustar writer: enough for image layers in tests
 * (regular files, directories, symlinks), with no dependency.
 */

/** Content of one entry in a layer: file bytes, a file with a mode, a directory, or a symlink. */
export type TarEntry =
  | string
  | Uint8Array
  | { content: string | Uint8Array; mode?: number }
  | { directory: true; mode?: number }
  | { symlink: string };

const BLOCK = 512;

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  bytes.copy(header, offset);
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`tar numeric field overflow: ${value}`);
  header.write(text + '\0', offset, length, 'ascii');
}

/** Splits a path into ustar `prefix` (≤155 bytes) and `name` (≤100 bytes); null when it can't. */
function splitName(path: string): { prefix: string; name: string } | null {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { prefix, name };
  }
  return null;
}

/** One PAX record, `"<len> key=value\n"`, where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** Kind of a header written by {@link tarHeader}. */
export type TarType = 'file' | 'directory' | 'symlink';

function rawHeader(name: string, prefix: string, flag: string, size: number, mode: number, linkname: string): Buffer {
  const header = Buffer.alloc(BLOCK);
  writeString(header, 0, 100, name);
  writeOctal(header, 100, 8, mode);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 0);
  header.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  header.write(flag, 156, 1, 'ascii');
  writeString(header, 157, 100, linkname);
  header.write('ustar\0' + '00', 257, 8, 'ascii');
  writeString(header, 265, 32, 'root');
  writeString(header, 297, 32, 'root');
  writeString(header, 345, 155, prefix);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/**
 * The header block(s) of one entry: uid/gid 0, owner `root`, mtime 0 (the same input
 * always gives the same bytes). Paths or link targets too long for ustar get a PAX
 * extended header first.
 */
export function tarHeader(path: string, type: TarType, size: number, mode: number, linkname = ''): Buffer {
  const full = type === 'directory' && !path.endsWith('/') ? path + '/' : path;
  const flag = type === 'file' ? '0' : type === 'directory' ? '5' : '2';
  const split = splitName(full);
  const longLink = Buffer.byteLength(linkname) > 100;
  const header = rawHeader(
    split ? split.name : full.slice(0, 99),
    split ? split.prefix : '',
    flag,
    type === 'file' ? size : 0,
    mode,
    longLink ? linkname.slice(0, 99) : linkname,
  );
  if (split && !longLink) return header;
  const pax = Buffer.from((split ? '' : paxRecord('path', full)) + (longLink ? paxRecord('linkpath', linkname) : ''), 'utf8');
  const paxName = `PaxHeaders/${(split ? split.name : full).slice(-80).replace(/^\/+/, '')}`;
  return Buffer.concat([rawHeader(paxName, '', 'x', pax.length, 0o644, ''), pax, tarPadding(pax.length), header]);
}

/** Zero bytes that pad `size` up to a whole 512-byte block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The two zero blocks that end an archive. */
export const TAR_END: Buffer = Buffer.alloc(BLOCK * 2);

function normalize(path: string): string {
  const clean = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`invalid layer path: ${path}`);
  }
  return clean;
}

/**
 * Builds a tar archive from `files` (path → entry). Missing parent directories are
 * added (mode 0755), entries are sorted by path, every header has mtime 0, uid/gid 0:
 * the same files always give the same bytes.
 */
export function buildTar(files: Record<string, TarEntry>): Buffer {
  const entries = new Map<string, TarEntry>();
  for (const [raw, entry] of Object.entries(files)) {
    const path = normalize(raw);
    entries.set(path, entry);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!entries.has(dir)) entries.set(dir, { directory: true });
    }
  }
  const chunks: Buffer[] = [];
  for (const path of [...entries.keys()].sort()) {
    const entry = entries.get(path)!;
    if (typeof entry === 'string' || entry instanceof Uint8Array) {
      const data = Buffer.from(entry);
      chunks.push(tarHeader(path, 'file', data.length, 0o644), data, tarPadding(data.length));
    } else if ('content' in entry) {
      const data = Buffer.from(entry.content);
      chunks.push(tarHeader(path, 'file', data.length, entry.mode ?? 0o644), data, tarPadding(data.length));
    } else if ('directory' in entry) {
      chunks.push(tarHeader(path, 'directory', 0, entry.mode ?? 0o755));
    } else {
      chunks.push(tarHeader(path, 'symlink', 0, 0o777, entry.symlink));
    }
  }
  chunks.push(TAR_END);
  return Buffer.concat(chunks);
}
