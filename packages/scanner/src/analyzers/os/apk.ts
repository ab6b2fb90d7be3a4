// Reads apk's database, `lib/apk/db/installed` (`usr/lib/apk/db/installed` on newer Alpine):
// one record per package, separated by blank lines, each line `<letter>:<value>`.

import type { FileAnalyzer, FileFindings, FileInfo, InventoryPackage } from '../../types.ts';
import { makePurl } from './purl.ts';

const PATHS = new Set(['lib/apk/db/installed', 'usr/lib/apk/db/installed']);

/** The fields of one apk record that Berth reads. */
export interface ApkRecord {
  /** `P:` */ name?: string;
  /** `V:` */ version?: string;
  /** `A:` */ arch?: string;
  /** `L:` */ license?: string;
  /** `o:` */ origin?: string;
}

const FIELDS: Record<string, keyof ApkRecord> = { P: 'name', V: 'version', A: 'arch', L: 'license', o: 'origin' };

/** Splits an apk `installed` database into records (CRLF accepted; file lines `F:`/`R:`… skipped). */
export function parseApkInstalled(text: string): ApkRecord[] {
  const records: ApkRecord[] = [];
  let current: ApkRecord | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (line[1] !== ':') continue;
    const field = FIELDS[line[0]!];
    if (!field) continue;
    if (current === null) {
      current = {};
      records.push(current);
    }
    current[field] = line.slice(2).trim();
  }
  return records;
}

/**
 * Reads installed packages from an apk database. The origin (`o:`) is the source package
 * (Alpine's secdb and OSV name advisories by it); the purl is `pkg:apk/alpine/<name>@<version>?arch=…`.
 */
export function readApkInstalled(file: FileInfo, content: Buffer): FileFindings {
  if (content.includes(0)) {
    return { notes: [{ path: file.path, layer: file.layer, message: 'apk database is not text: not read' }] };
  }
  const packages: InventoryPackage[] = [];
  let incomplete = 0;
  for (const r of parseApkInstalled(content.toString('utf8'))) {
    if (!r.name || !r.version) {
      incomplete++;
      continue;
    }
    packages.push({
      type: 'apk',
      name: r.name,
      version: r.version,
      source: { name: r.origin || r.name, version: r.version },
      path: file.path,
      layer: file.layer,
      purl: makePurl('apk', 'alpine', r.name, r.version, { arch: r.arch }),
      licenses: r.license ? [r.license] : [],
    });
  }
  if (incomplete === 0) return { packages };
  return { packages, notes: [{ path: file.path, layer: file.layer, message: `${incomplete} apk records without P: or V: were skipped` }] };
}

/** The `apk` analyzer. */
export function apkAnalyzer(): FileAnalyzer {
  return {
    name: 'apk',
    maxBytes: 256 * 1024 * 1024,
    wants: (file: FileInfo) => PATHS.has(file.path),
    analyze: readApkInstalled,
  };
}
