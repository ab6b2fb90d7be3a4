// Installed npm packages: the package's own `package.json` directly inside
// `node_modules/<name>/` or `node_modules/@scope/<name>/`. The app's top-level manifest and
// the `package.json` files some packages carry in subfolders (`test/`, `esm/`) are not
// packages and are skipped.
import { PackageURL } from 'packageurl-js';
import type { FileAnalyzer, FileFindings, FileInfo, InventoryPackage } from '../../types.ts';

const MANIFEST = '/package.json';

/** True when `path` is an installed package's own manifest (`…/node_modules/[@scope/]name/package.json`). */
export function isNpmManifestPath(path: string): boolean {
  if (!path.endsWith(MANIFEST) || !path.includes('node_modules/')) return false;
  const parts = path.split('/');
  const n = parts.length;
  // parts[n-1] = 'package.json', parts[n-2] = package dir
  const dir = parts[n - 2];
  if (dir === undefined || dir === 'node_modules' || dir.startsWith('@')) return false;
  if (parts[n - 3] === 'node_modules') return true;
  return parts[n - 4] === 'node_modules' && (parts[n - 3]?.startsWith('@') ?? false) && (parts[n - 3]?.length ?? 0) > 1;
}

/**
 * The licenses a manifest declares: `license` as a string (an SPDX expression) or the legacy
 * `{ type }` object, and the legacy `licenses` array (of strings or `{ type }`).
 */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
    else if (v !== null && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') {
      add((v as { type: string }).type);
    }
  };
  add(manifest.license);
  if (Array.isArray(manifest.licenses)) manifest.licenses.forEach(add);
  return [...new Set(out)];
}

/** The purl of an npm package: `pkg:npm/%40scope/name@1.0.0` or `pkg:npm/name@1.0.0`. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const local = slash > 0 ? name.slice(slash + 1) : name;
  return new PackageURL('npm', namespace, local, version, undefined, undefined).toString();
}

function analyzeManifest(file: FileInfo, content: Buffer): FileFindings {
  let manifest: unknown;
  try {
    manifest = JSON.parse(content.toString('utf8'));
  } catch {
    return { notes: [{ path: file.path, layer: file.layer, message: 'npm package.json is not valid JSON' }] };
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return { notes: [{ path: file.path, layer: file.layer, message: 'npm package.json is not a JSON object' }] };
  }
  const m = manifest as Record<string, unknown>;
  // A manifest without a name or version (a workspace stub, a bundler fixture) is no installed package.
  if (typeof m.name !== 'string' || typeof m.version !== 'string' || m.name === '' || m.version === '') return {};
  let purl: string;
  try {
    purl = npmPurl(m.name, m.version);
  } catch {
    return { notes: [{ path: file.path, layer: file.layer, message: `npm package name "${m.name.slice(0, 100)}" is not valid` }] };
  }
  const pkg: InventoryPackage = {
    type: 'npm',
    name: m.name,
    version: m.version,
    path: file.path,
    layer: file.layer,
    purl,
    licenses: npmLicenses(m),
  };
  return { packages: [pkg] };
}

/** Reads installed npm packages from their `node_modules/**\/package.json`. */
export function npmAnalyzer(): FileAnalyzer {
  return {
    name: 'npm',
    maxBytes: 4 * 1024 * 1024,
    wants: (file) => isNpmManifestPath(file.path),
    analyze: analyzeManifest,
  };
}
