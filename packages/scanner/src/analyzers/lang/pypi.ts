// Installed Python distributions: `*.dist-info/METADATA` (wheels, pip) and
// `*.egg-info/PKG-INFO` or a bare `*.egg-info` file (setuptools, Debian's python3-* packages).
// Both are RFC 822-style header blocks (core metadata); the body after the first blank line
// (the long description) is not read.
import { PackageURL } from 'packageurl-js';
import type { FileAnalyzer, FileFindings, FileInfo } from '../../types.ts';

/** True for the core-metadata files of installed Python distributions. */
export function isPythonMetadataPath(path: string): boolean {
  return path.endsWith('.dist-info/METADATA') || path.endsWith('.egg-info/PKG-INFO') || path.endsWith('.egg-info');
}

/** PEP 503 normalized project name: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]{1,100}/g, '-');
}

/** Header fields of a core-metadata file, repeated fields kept in order; continuation lines joined with `\n`. */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: { key: string; index: number } | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      const values = fields.get(last.key);
      if (values) values[last.index] += '\n' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = fields.get(key) ?? [];
    values.push(value);
    fields.set(key, values);
    last = { key, index: values.length - 1 };
  }
  return fields;
}

const CLASSIFIER_PREFIX = 'License :: ';

/**
 * Licenses as the distribution declares them: `License-Expression` (PEP 639) when present;
 * otherwise the `License` field when it is a short one-line name (it sometimes holds a whole
 * license text, which is no name) and the last part of each `License ::` classifier
 * (`License :: OSI Approved :: MIT License` → `MIT License`).
 */
export function pythonLicenses(fields: Map<string, string[]>): string[] {
  const expression = fields.get('license-expression')?.[0];
  if (expression) return [expression];
  const out: string[] = [];
  const license = fields.get('license')?.[0];
  if (license && !license.includes('\n') && license.length <= 100 && license.toUpperCase() !== 'UNKNOWN') out.push(license);
  for (const c of fields.get('classifier') ?? []) {
    if (!c.startsWith(CLASSIFIER_PREFIX)) continue;
    const last = c.split('::').at(-1)?.trim();
    if (last && last !== 'OSI Approved') out.push(last);
  }
  return [...new Set(out)];
}

function analyzeMetadata(file: FileInfo, content: Buffer): FileFindings {
  const fields = parseCoreMetadata(content.toString('utf8'));
  const name = fields.get('name')?.[0];
  const version = fields.get('version')?.[0];
  if (!name || !version) {
    return { notes: [{ path: file.path, layer: file.layer, message: 'Python package metadata has no Name or Version' }] };
  }
  return {
    packages: [
      {
        type: 'pypi',
        name,
        version,
        path: file.path,
        layer: file.layer,
        purl: new PackageURL('pypi', undefined, normalizePythonName(name), version, undefined, undefined).toString(),
        licenses: pythonLicenses(fields),
      },
    ],
  };
}

/** Reads installed Python distributions from `*.dist-info/METADATA` and `*.egg-info`. */
export function pypiAnalyzer(): FileAnalyzer {
  return {
    name: 'pypi',
    maxBytes: 4 * 1024 * 1024,
    wants: (file) => isPythonMetadataPath(file.path),
    analyze: analyzeMetadata,
  };
}
