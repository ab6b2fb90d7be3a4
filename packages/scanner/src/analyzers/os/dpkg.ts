// Reads dpkg's database: `var/lib/dpkg/status`, and distroless images' one-file-per-package
// `var/lib/dpkg/status.d/*` (the `.md5sums` files beside them are not status files).

import type { FileAnalyzer, FileFindings, FileInfo, InventoryPackage, ScanNote } from '../../types.ts';
import { makePurl } from './purl.ts';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';

/** The fields of one dpkg stanza that Berth reads. */
export interface DpkgStanza {
  package?: string;
  version?: string;
  architecture?: string;
  source?: string;
  status?: string;
}

/**
 * Splits deb822 text into stanzas, keeping only the fields Berth reads. Stanzas are separated
 * by blank (or whitespace-only) lines; continuation lines (leading space or tab) belong to
 * multi-line fields Berth does not read; CRLF line ends are accepted; field names are
 * case-insensitive.
 */
export function parseDpkgStanzas(text: string): DpkgStanza[] {
  const stanzas: DpkgStanza[] = [];
  let current: DpkgStanza | null = null;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    const lineStart = start;
    let lineEnd = end;
    start = end + 1;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const first = text.charCodeAt(lineStart) | 0x20; // lower-cased ASCII letter
    if (lineEnd === lineStart || first === 0x20 || first === 0x29) {
      // an empty line ends the stanza; a continuation line (space or tab) does unless it is blank
      if (lineEnd === lineStart || text.slice(lineStart, lineEnd).trim() === '') current = null;
      continue;
    }
    // Only Package, Version, Architecture, Source and Status are read: skip other lines cheaply.
    if (first !== 0x70 && first !== 0x76 && first !== 0x61 && first !== 0x73) continue;
    const colon = text.indexOf(':', lineStart);
    if (colon === -1 || colon >= lineEnd) continue;
    const key = text.slice(lineStart, colon).toLowerCase();
    if (key !== 'package' && key !== 'version' && key !== 'architecture' && key !== 'source' && key !== 'status') continue;
    if (current === null) {
      current = {};
      stanzas.push(current);
    }
    current[key] = text.slice(colon + 1, lineEnd).trim();
  }
  return stanzas;
}

/** `Source: name` or `Source: name (version)`; without a Source field the binary package is its own source. */
export function dpkgSource(stanza: DpkgStanza, name: string, version: string): { name: string; version: string } {
  const m = stanza.source ? /^(\S+)(?:\s*\(([^)]+)\))?/.exec(stanza.source) : null;
  if (!m) return { name, version };
  return { name: m[1]!, version: m[2]?.trim() || version };
}

/** True when dpkg's `Status` says the package's files are on disk (`<want> ok installed`, held ones too). */
function isInstalled(status: string | undefined, required: boolean): boolean {
  if (status === undefined) return !required;
  const words = status.split(/\s+/);
  return words[1] === 'ok' && words[2] === 'installed';
}

/**
 * Reads installed packages from a dpkg status file. In `var/lib/dpkg/status` a package must
 * have a `Status` of `… ok installed`; distroless `status.d` files often carry no `Status`,
 * so there a missing one counts as installed. The purl uses the `debian` namespace and no
 * `distro` qualifier (see `osPurl`).
 */
export function readDpkgStatus(file: FileInfo, content: Buffer): FileFindings {
  const notes: ScanNote[] = [];
  if (content.includes(0)) {
    return { notes: [{ path: file.path, layer: file.layer, message: 'dpkg status file is not text: not read' }] };
  }
  const statusRequired = file.path === STATUS;
  const packages: InventoryPackage[] = [];
  let incomplete = 0;
  for (const stanza of parseDpkgStanzas(content.toString('utf8'))) {
    if (!isInstalled(stanza.status, statusRequired)) continue;
    const name = stanza.package;
    const version = stanza.version;
    if (!name || !version) {
      incomplete++;
      continue;
    }
    const arch = stanza.architecture || undefined;
    packages.push({
      type: 'dpkg',
      name,
      version,
      source: dpkgSource(stanza, name, version),
      path: file.path,
      layer: file.layer,
      purl: makePurl('deb', 'debian', name, version, { arch }),
      licenses: [],
    });
  }
  if (incomplete > 0) {
    notes.push({ path: file.path, layer: file.layer, message: `${incomplete} installed dpkg entries without Package or Version were skipped` });
  }
  return notes.length ? { packages, notes } : { packages };
}

/** The `dpkg` analyzer. */
export function dpkgAnalyzer(): FileAnalyzer {
  return {
    name: 'dpkg',
    maxBytes: 256 * 1024 * 1024,
    wants: (file: FileInfo) =>
      file.path === STATUS || (file.path.startsWith(STATUS_D) && !file.path.endsWith('.md5sums') && file.path.length > STATUS_D.length),
    analyze: readDpkgStatus,
  };
}
