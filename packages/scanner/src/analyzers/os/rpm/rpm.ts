// The rpm analyzer: finds the package database by path, tells the backend by its bytes
// (SQLite, NDB, BerkeleyDB hash) and turns each header into an inventory package.

import type { FileAnalyzer, FileFindings, FileInfo, InventoryPackage } from '../../../types.ts';
import { makePurl } from '../purl.ts';
import { parseRpmHeader, sourceRpmName } from './header.ts';
import type { RpmHeaderInfo } from './header.ts';
import { bdbHashValues, isBerkeleyDbHash } from './bdb.ts';
import { isNdb, ndbHeaderBlobs } from './ndb.ts';
import { sqliteHeaderBlobs } from './sqlite.ts';

const PATHS = new Set([
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'var/lib/rpm/Packages.db',
  'usr/lib/sysimage/rpm/Packages.db',
  'var/lib/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages',
]);

const WAL_PATHS = new Set(['var/lib/rpm/rpmdb.sqlite-wal', 'usr/lib/sysimage/rpm/rpmdb.sqlite-wal']);

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function isSqlite(content: Buffer): boolean {
  return content.length >= 100 && content.subarray(0, 16).equals(SQLITE_MAGIC);
}

/** `[epoch:]version-release`, the epoch only when the header has a non-zero one. */
export function rpmVersion(h: RpmHeaderInfo): string {
  const vr = h.release === '' ? h.version : `${h.version}-${h.release}`;
  return h.epoch ? `${h.epoch}:${vr}` : vr;
}

/** One header as an inventory package; the purl has no namespace (see `osPurl`) and carries the epoch as a qualifier. */
export function rpmPackage(h: RpmHeaderInfo, file: FileInfo): InventoryPackage {
  const version = rpmVersion(h);
  const vr = h.release === '' ? h.version : `${h.version}-${h.release}`;
  return {
    type: 'rpm',
    name: h.name,
    version,
    source: { name: (h.sourceRpm && sourceRpmName(h.sourceRpm)) || h.name, version },
    path: file.path,
    layer: file.layer,
    purl: makePurl('rpm', null, h.name, vr, { arch: h.arch ?? undefined, epoch: h.epoch ? String(h.epoch) : undefined }),
    licenses: h.license ? [h.license] : [],
  };
}

/** Reads an rpm database file of any backend Berth knows; never throws. */
export function readRpmDatabase(file: FileInfo, content: Buffer): FileFindings {
  const note = (message: string): FileFindings => ({ notes: [{ path: file.path, layer: file.layer, message }] });
  if (WAL_PATHS.has(file.path)) {
    // rpm checkpoints its WAL when it closes the database; a non-empty one holds changes the database file lacks.
    return content.length > 0 ? note('rpm SQLite write-ahead log (rpmdb.sqlite-wal) is not read: packages it records may be missing') : {};
  }
  let blobs: Buffer[];
  try {
    if (isSqlite(content)) blobs = sqliteHeaderBlobs(content);
    else if (isNdb(content)) blobs = ndbHeaderBlobs(content);
    // Berkeley DB also holds small bookkeeping values (key 0: the next instance number).
    else if (isBerkeleyDbHash(content)) blobs = bdbHashValues(content).filter((v) => v.length > 16);
    else return note('rpm database is neither SQLite, NDB nor BerkeleyDB: not read');
  } catch (err) {
    return note(`rpm database could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const packages: InventoryPackage[] = [];
  let bad = 0;
  for (const blob of blobs) {
    const h = parseRpmHeader(blob);
    if (!h) bad++;
    else if (h.name !== 'gpg-pubkey') packages.push(rpmPackage(h, file));
  }
  if (bad === 0) return { packages };
  return { packages, notes: [{ path: file.path, layer: file.layer, message: `${bad} rpm headers could not be parsed` }] };
}

/** The `rpm` analyzer: SQLite, NDB and BerkeleyDB (hash) databases. */
export function rpmAnalyzer(): FileAnalyzer {
  return {
    name: 'rpm',
    maxBytes: 512 * 1024 * 1024,
    wants: (file: FileInfo) => PATHS.has(file.path) || WAL_PATHS.has(file.path),
    analyze: readRpmDatabase,
  };
}
