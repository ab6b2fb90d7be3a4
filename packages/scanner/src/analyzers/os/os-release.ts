// Reads `etc/os-release` / `usr/lib/os-release` (os-release(5)): which distribution the image
// is built on, and the OSV ecosystem its OS packages are matched in.

import type { FileAnalyzer, FileFindings, FileInfo, OsInfo } from '../../types.ts';

const ETC = 'etc/os-release';
const USR = 'usr/lib/os-release';

/**
 * Parses the shell-like `KEY=value` format of os-release(5): single and double quotes,
 * backslash escapes (`\"`, `\\`, `\$`, `` \` `` inside double quotes and unquoted), comments
 * and blank lines. Lines that are not assignments are skipped.
 */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    const key = trimmed.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    fields.set(key, unquote(trimmed.slice(eq + 1)));
  }
  return fields;
}

/** Shell word unquoting, enough for os-release: quotes may be mixed within one value. */
function unquote(value: string): string {
  let out = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < value.length && '"\\$`'.includes(value[i + 1]!)) out += value[++i];
      else out += c;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '\\' && i + 1 < value.length) {
      out += value[++i];
    } else if (c === '#' && (i === 0 || value[i - 1] === ' ' || value[i - 1] === '\t')) {
      break; // an unquoted comment after the value
    } else {
      out += c;
    }
  }
  return quote === null ? out.trimEnd() : out;
}

/**
 * The OSV ecosystem for a distribution release, or null when Berth has no advisories for it.
 * Debian without a `VERSION_ID` (testing, sid) is null: OSV files Debian advisories per
 * release (`Debian:12`) and an unreleased suite matches none of them reliably.
 * Ubuntu LTS releases (even year, `.04`) get the `:LTS` suffix OSV uses.
 */
export function osEcosystem(id: string, versionId: string | null): string | null {
  if (versionId === null || versionId === '') return null;
  const major = /^(\d+)/.exec(versionId)?.[1];
  switch (id) {
    case 'debian':
      return major ? `Debian:${major}` : null;
    case 'ubuntu': {
      const m = /^(\d{2})\.(\d{2})/.exec(versionId);
      if (!m) return null;
      const lts = Number(m[1]) % 2 === 0 && m[2] === '04';
      return `Ubuntu:${m[1]}.${m[2]}${lts ? ':LTS' : ''}`;
    }
    case 'alpine': {
      const m = /^(\d+)\.(\d+)/.exec(versionId);
      return m ? `Alpine:v${m[1]}.${m[2]}` : null;
    }
    case 'almalinux':
      return major ? `AlmaLinux:${major}` : null;
    case 'rocky':
      return major ? `Rocky Linux:${major}` : null;
    default:
      return null;
  }
}

/** Builds the OsInfo from os-release content, or null when it names no `ID`. */
export function osInfoFromOsRelease(text: string): OsInfo | null {
  const fields = parseOsRelease(text);
  const id = fields.get('ID')?.trim().toLowerCase();
  if (!id) return null;
  const versionId = fields.get('VERSION_ID')?.trim() || null;
  return { id, versionId, prettyName: fields.get('PRETTY_NAME') || null, ecosystem: osEcosystem(id, versionId) };
}

/**
 * Chooses the image's OS among the os-release files found: `etc/os-release` wins over
 * `usr/lib/os-release` (os-release(5): the former is read first, the latter is the fallback).
 */
export function pickOs(candidates: { path: string; os: OsInfo }[]): OsInfo | null {
  return candidates.find((c) => c.path === ETC)?.os ?? candidates.find((c) => c.path === USR)?.os ?? null;
}

/** The `os-release` analyzer: `etc/os-release` and `usr/lib/os-release`. */
export function osReleaseAnalyzer(): FileAnalyzer {
  return {
    name: 'os-release',
    maxBytes: 64 * 1024,
    wants: (file: FileInfo) => file.path === ETC || file.path === USR,
    analyze(file: FileInfo, content: Buffer): FileFindings {
      const os = osInfoFromOsRelease(content.toString('utf8'));
      if (os) return { os };
      return { notes: [{ path: file.path, layer: file.layer, message: 'os-release names no distribution (no ID field)' }] };
    },
  };
}
